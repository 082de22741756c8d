import { createHash, timingSafeEqual } from 'node:crypto';
import type { Db } from '../database/database.js';

/**
 * Device secrets are 256 random bits, so a single sha256 is enough to store them (a slow KDF is for
 * human-chosen passwords) and keeps a reconnect storm of thousands of devices cheap.
 */
export function hashDeviceSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export class DeviceAuthenticator {
  constructor(private readonly db: Db) {}

  /** True when the device exists and the secret matches. */
  async verify(deviceId: string, secret: string): Promise<boolean> {
    const row = await this.db.selectFrom('devices').select('secret_hash').where('id', '=', deviceId).executeTakeFirst();
    if (!row) return false;
    const a = Buffer.from(row.secret_hash, 'hex');
    const b = Buffer.from(hashDeviceSecret(secret), 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
