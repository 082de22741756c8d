import type { AdJoinPolicy } from '@bascule/protocol';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { AdJoinAccountRepository, AdJoinAccountRow } from './ad-join-account.repository.js';
import type { AdComputerAccounts } from './computer-accounts.js';

/** A failed pre-creation is retried after this long (on the next recomputation). */
const RETRY_AFTER_MS = 5 * 60_000;

/** The NetBIOS name of a desktop: first label of its hostname, upper case, at most 15 characters. */
export function computerNameOf(hostname: string, deviceId: string): string {
  const name = (hostname.split('.')[0] ?? '')
    .toUpperCase()
    .replace(/[^A-Z0-9-]/g, '')
    .slice(0, 15)
    .replace(/^-+|-+$/g, '');
  return name || `PC-${deviceId.slice(-12)}`;
}

export interface PresetRequest {
  deviceId: string;
  domain: string;
  ou: string | undefined;
  computerName: string;
}

export type AdJoinResolution =
  | { kind: 'settings'; settings: Record<string, unknown> }
  /** The computer account is not pre-created yet (or that failed): the module waits. */
  | { kind: 'waiting'; preset: PresetRequest | null };

/**
 * The hub's half of AD join: one computer account per device, pre-created with a one-time password
 * the first time the device gets an ad-join policy; the password leaves the device's config once
 * the device reported it joined.
 */
export class AdJoinService {
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly repo: AdJoinAccountRepository,
    private readonly accounts: AdComputerAccounts,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async accountsByDevice(): Promise<Map<string, AdJoinAccountRow>> {
    return new Map((await this.repo.all()).map((r) => [`${r.device_id}:${r.domain}`, r]));
  }

  /** What the device receives for this policy document, given the accounts already pre-created. */
  resolve(
    device: { id: string; hostname: string },
    policy: AdJoinPolicy,
    accounts: Map<string, AdJoinAccountRow>,
  ): AdJoinResolution {
    const domain = policy.domain.toLowerCase();
    const computerName = computerNameOf(device.hostname, device.id);
    const row = accounts.get(`${device.id}:${domain}`);
    if (row?.joined_at) return { kind: 'settings', settings: { ...policy, computerName: row.computer_name } };
    if (row?.one_time_password) {
      return {
        kind: 'settings',
        settings: { ...policy, computerName: row.computer_name, oneTimePassword: row.one_time_password },
      };
    }
    const retry = !row || Date.parse(row.updated_at) + RETRY_AFTER_MS <= this.clock.now().getTime();
    return { kind: 'waiting', preset: retry ? { deviceId: device.id, domain, ou: policy.ou, computerName } : null };
  }

  /** Pre-creates the accounts one after the other; true when at least one succeeded. */
  async preset(requests: PresetRequest[]): Promise<boolean> {
    let any = false;
    for (const r of requests) {
      const key = `${r.deviceId}:${r.domain}`;
      if (this.inFlight.has(key)) continue;
      this.inFlight.add(key);
      const now = () => this.clock.now().toISOString();
      try {
        const password = await this.accounts.preset(r.domain, r.ou, r.computerName);
        await this.repo.upsert({
          device_id: r.deviceId,
          domain: r.domain,
          computer_name: r.computerName,
          one_time_password: password,
          preset_at: now(),
          joined_at: null,
          error: null,
          updated_at: now(),
        });
        this.logger.info('AD computer account pre-created', {
          deviceId: r.deviceId,
          domain: r.domain,
          computerName: r.computerName,
        });
        any = true;
      } catch (err) {
        const error = (err as Error).message;
        this.logger.error('could not pre-create the AD computer account', {
          deviceId: r.deviceId,
          domain: r.domain,
          error,
        });
        await this.repo.upsert({
          device_id: r.deviceId,
          domain: r.domain,
          computer_name: r.computerName,
          one_time_password: null,
          preset_at: null,
          joined_at: null,
          error,
          updated_at: now(),
        });
      } finally {
        this.inFlight.delete(key);
      }
    }
    return any;
  }

  /** The device reported ad-join applied: the one-time password is spent. True when that changed something. */
  joined(deviceId: string, domain: string): Promise<boolean> {
    return this.repo.markJoined(deviceId, domain.toLowerCase(), this.clock.now().toISOString());
  }

  /** Why a device's ad-join is waiting, if the hub failed to pre-create its account. */
  async errorOf(deviceId: string): Promise<string | null> {
    const rows = (await this.repo.all()).filter((r) => r.device_id === deviceId && r.error);
    return rows[0]?.error ?? null;
  }
}
