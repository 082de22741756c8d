import type { Db } from '../database/database.js';

/** What matching needs to know of an enrolled device. */
export interface DeviceFacts {
  id: string;
  hostname: string;
  department: string;
  /** From enrolment, then the inventory's hardware section when it has one. */
  serials: string[];
  macs: string[];
  online: boolean;
  /** An inventory has been stored (the hub knows its OS). */
  inventoried: boolean;
  /** Open or acknowledged alerts. */
  activeAlerts: number;
}

/** Reads devices, their inventory and alerts for the registry's matching (never writes them). */
export class DeviceFactsRepository {
  constructor(private readonly db: Db) {}

  async get(deviceId: string): Promise<DeviceFacts | undefined> {
    const d = await this.db
      .selectFrom('devices')
      .select(['id', 'hostname', 'department', 'serial', 'macs', 'online', 'os'])
      .where('id', '=', deviceId)
      .executeTakeFirst();
    if (!d) return undefined;
    const sections = await this.db
      .selectFrom('inventory_sections')
      .select(['section', 'data'])
      .where('device_id', '=', deviceId)
      .where('section', 'in', ['hardware', 'network'])
      .execute();
    const serials = [d.serial];
    const macs = JSON.parse(d.macs) as string[];
    for (const s of sections) {
      if (!s.data) continue;
      const data = JSON.parse(s.data) as { serial?: string; interfaces?: { mac?: string; virtual?: boolean }[] };
      if (s.section === 'hardware' && data.serial) serials.push(data.serial);
      if (s.section === 'network') {
        for (const i of data.interfaces ?? []) if (i.mac && !i.virtual) macs.push(i.mac);
      }
    }
    const alerts = await this.db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('device_id', '=', deviceId)
      .where('state', '<>', 'resolved')
      .executeTakeFirst();
    return {
      id: d.id,
      hostname: d.hostname,
      department: d.department,
      serials,
      macs,
      online: d.online === 1,
      inventoried: d.os !== null,
      activeAlerts: Number(alerts?.n ?? 0),
    };
  }
}

/**
 * Healthy, for the registry: the agent is connected, has sent its inventory, and has no active
 * alert (open or acknowledged: disk full, antivirus detection, a module failing...).
 */
export function isHealthy(f: DeviceFacts): boolean {
  return f.online && f.inventoried && f.activeAlerts === 0;
}
