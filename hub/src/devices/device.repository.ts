import { type Insertable, type Selectable, sql } from 'kysely';
import type { Db } from '../database/database.js';
import { nullsAsSmallest } from '../database/dialect.js';
import type { DevicesTable, MeteredSetting } from '../database/schema.js';

export type DeviceRow = Selectable<DevicesTable>;

export const DEVICE_SORT_FIELDS = {
  id: 'id',
  hostname: 'hostname',
  department: 'department',
  online: 'online',
  os: 'os',
  lastSeenAt: 'last_seen_at',
  enrolledAt: 'enrolled_at',
} as const satisfies Record<string, keyof DeviceRow>;
export type DeviceSortField = keyof typeof DEVICE_SORT_FIELDS;

export interface DeviceFilter {
  department?: string;
  /** Lower-case department names an account limited to departments may see (DepartmentScopeService). */
  departmentsIn?: string[];
  online?: boolean;
  os?: string;
  /** Exact hardware model, as the fleet overview groups it (its links filter on it). */
  model?: string;
  q?: string;
  ids?: string[];
}

export interface DeviceListQuery {
  filter: DeviceFilter;
  sort: DeviceSortField;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export class DeviceRepository {
  constructor(private readonly db: Db) {}

  async insert(row: Insertable<DevicesTable>): Promise<void> {
    await this.db.insertInto('devices').values(row).execute();
  }

  findById(id: string): Promise<DeviceRow | undefined> {
    return this.db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Devices named by `ref`: its id, or its hostname (case-insensitive; several devices may share one). */
  findByRef(ref: string): Promise<Pick<DeviceRow, 'id' | 'hostname' | 'online' | 'last_seen_at'>[]> {
    return this.db
      .selectFrom('devices')
      .select(['id', 'hostname', 'online', 'last_seen_at'])
      .where((eb) => eb.or([eb('id', '=', ref.toUpperCase()), eb(sql`lower(hostname)`, '=', ref.toLowerCase())]))
      .orderBy('enrolled_at', 'asc')
      .limit(20)
      .execute();
  }

  /** The earliest device enrolled with this machine-id, to flag cloned images. */
  findFirstByMachineId(machineId: string): Promise<Pick<DeviceRow, 'id' | 'serial' | 'dmi_uuid' | 'macs'> | undefined> {
    return this.db
      .selectFrom('devices')
      .select(['id', 'serial', 'dmi_uuid', 'macs'])
      .where('machine_id', '=', machineId)
      .orderBy('enrolled_at', 'asc')
      .executeTakeFirst();
  }

  async list(q: DeviceListQuery): Promise<{ rows: DeviceRow[]; total: number }> {
    let base = this.db.selectFrom('devices');
    const f = q.filter;
    if (f.department !== undefined) base = base.where('department', '=', f.department);
    if (f.departmentsIn) {
      base = f.departmentsIn.length
        ? base.where(sql<boolean>`lower(department) in (${sql.join(f.departmentsIn)})`)
        : base.where(sql<boolean>`false`);
    }
    if (f.online !== undefined) base = base.where('online', '=', f.online ? 1 : 0);
    // lower() on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not; this reads the same on both.
    if (f.os) base = base.where(sql<boolean>`lower(os) like ${`%${escapeLike(f.os.toLowerCase())}%`} escape '\\'`);
    if (f.model) base = base.where('model', '=', f.model);
    if (f.q) {
      const like = `%${escapeLike(f.q.toLowerCase())}%`;
      base = base.where((eb) =>
        eb.or([
          eb(sql`lower(hostname)`, 'like', sql`${like} escape '\\'`),
          eb(sql`lower(serial)`, 'like', sql`${like} escape '\\'`),
          eb('id', '=', f.q as string),
        ]),
      );
    }
    if (f.ids) base = f.ids.length ? base.where('id', 'in', f.ids) : base.where(sql<boolean>`false`);
    const rows = await base
      .selectAll()
      .orderBy(DEVICE_SORT_FIELDS[q.sort], nullsAsSmallest(q.order))
      .orderBy('id', 'asc')
      .offset(q.offset)
      .limit(q.limit)
      .execute();
    const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return { rows, total: Number(count?.n ?? 0) };
  }

  async departments(): Promise<{ name: string; deviceCount: number }[]> {
    const rows = await this.db
      .selectFrom('devices')
      .select(['department', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('department')
      .orderBy('department')
      .execute();
    return rows.map((r) => ({ name: r.department, deviceCount: Number(r.n) }));
  }

  async setOnline(id: string, online: boolean, at: string): Promise<void> {
    await this.db
      .updateTable('devices')
      .set({ online: online ? 1 : 0, last_seen_at: at })
      .where('id', '=', id)
      .execute();
  }

  /** At hub start nobody is connected yet. */
  /** False when there is no such device. */
  async setMetered(id: string, metered: MeteredSetting): Promise<boolean> {
    const r = await this.db.updateTable('devices').set({ metered }).where('id', '=', id).executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async markAllOffline(): Promise<void> {
    await this.db.updateTable('devices').set({ online: 0 }).where('online', '=', 1).execute();
  }

  async counts(): Promise<{ total: number; online: number }> {
    const r = await this.db
      .selectFrom('devices')
      .select([(eb) => eb.fn.countAll<number>().as('total'), (eb) => eb.fn.sum<number>('online').as('online')])
      .executeTakeFirst();
    return { total: Number(r?.total ?? 0), online: Number(r?.online ?? 0) };
  }

  inventory(deviceId: string) {
    return this.db.selectFrom('inventory_sections').selectAll().where('device_id', '=', deviceId).execute();
  }
}
