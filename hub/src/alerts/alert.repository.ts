import { type Selectable, sql } from 'kysely';
import type { Db } from '../database/database.js';
import { nullsAsSmallest } from '../database/dialect.js';
import type { AlertState, AlertsTable } from '../database/schema.js';
import type { AntivirusLastScan } from './alert-rules.js';

export type AlertRow = Selectable<AlertsTable>;

/** Detections of the last scan read for its alert (the alert's detail keeps fewer). */
const ANTIVIRUS_DETECTIONS_READ = 20;
export type AlertListRow = AlertRow & { hostname: string; department: string };

export const ALERT_SORT_FIELDS = {
  id: 'alerts.id',
  openedAt: 'alerts.opened_at',
  updatedAt: 'alerts.updated_at',
  type: 'alerts.type',
  state: 'alerts.state',
  hostname: 'devices.hostname',
  department: 'devices.department',
} as const;
export type AlertSortField = keyof typeof ALERT_SORT_FIELDS;

export interface AlertFilter {
  states?: AlertState[];
  types?: string[];
  deviceId?: string;
  department?: string;
  ids?: string[];
}

export interface AlertListQuery {
  filter: AlertFilter;
  sort: AlertSortField;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** Alerts, the conditions they remember, and the device facts the housekeeping evaluates. */
export class AlertRepository {
  constructor(private readonly db: Db) {}

  /** Open and acknowledged alerts of a device, for these types. */
  active(deviceId: string, types: readonly string[]): Promise<AlertRow[]> {
    return this.db
      .selectFrom('alerts')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('type', 'in', types)
      .where('state', '<>', 'resolved')
      .execute();
  }

  /** Inserts an open alert; false when one is already active for (device, type, subject). */
  async open(row: AlertRow): Promise<boolean> {
    const r = await this.db
      .insertInto('alerts')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async touch(id: string, message: string, detail: string, at: string): Promise<void> {
    await this.db.updateTable('alerts').set({ message, detail, updated_at: at }).where('id', '=', id).execute();
  }

  async resolve(id: string, at: string): Promise<void> {
    await this.db
      .updateTable('alerts')
      .set({ state: 'resolved', resolved_at: at, updated_at: at })
      .where('id', '=', id)
      .where('state', '<>', 'resolved')
      .execute();
  }

  /** Marks an open alert acknowledged; false when it was not open. */
  async acknowledge(id: string, by: string, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable('alerts')
      .set({ state: 'acknowledged', acknowledged_by: by, acknowledged_at: at })
      .where('id', '=', id)
      .where('state', '=', 'open')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  findById(id: string): Promise<AlertListRow | undefined> {
    return this.db
      .selectFrom('alerts')
      .innerJoin('devices', 'devices.id', 'alerts.device_id')
      .selectAll('alerts')
      .select(['devices.hostname', 'devices.department'])
      .where('alerts.id', '=', id)
      .executeTakeFirst();
  }

  async list(q: AlertListQuery): Promise<{ rows: AlertListRow[]; total: number }> {
    let base = this.db.selectFrom('alerts').innerJoin('devices', 'devices.id', 'alerts.device_id');
    const f = q.filter;
    // An empty list matches nothing (react-admin sends one when every choice is unticked).
    if (f.states) base = f.states.length ? base.where('alerts.state', 'in', f.states) : base.where(sql<boolean>`false`);
    if (f.types) base = f.types.length ? base.where('alerts.type', 'in', f.types) : base.where(sql<boolean>`false`);
    if (f.deviceId !== undefined) base = base.where('alerts.device_id', '=', f.deviceId);
    if (f.department !== undefined) base = base.where('devices.department', '=', f.department);
    if (f.ids) base = f.ids.length ? base.where('alerts.id', 'in', f.ids) : base.where(sql<boolean>`false`);
    const rows = await base
      .selectAll('alerts')
      .select(['devices.hostname', 'devices.department'])
      .orderBy(ALERT_SORT_FIELDS[q.sort], nullsAsSmallest(q.order))
      .orderBy('alerts.id', 'asc')
      .offset(q.offset)
      .limit(q.limit)
      .execute();
    const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return { rows, total: Number(count?.n ?? 0) };
  }

  /** Device ids, a page at a time (the housekeeping walks the fleet without holding it in memory). */
  async deviceIds(after: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('devices')
      .select('id')
      .where('id', '>', after)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** What the state rules need: presence, and the inventory sections they read (data only, parsed). */
  async deviceState(deviceId: string) {
    const device = await this.db
      .selectFrom('devices')
      .select(['online', 'last_seen_at', 'enrolled_at'])
      .where('id', '=', deviceId)
      .executeTakeFirst();
    if (!device) return undefined;
    const sections = await this.db
      .selectFrom('inventory_sections')
      .select(['section', 'data'])
      .where('device_id', '=', deviceId)
      .where('section', 'in', ['hardware', 'software', 'antivirus'])
      .execute();
    const data: Record<string, unknown> = {};
    for (const s of sections) if (s.data !== null) data[s.section] = JSON.parse(s.data);
    const reboot = await this.conditionSince(deviceId, 'reboot-required', '');
    const module = await this.db
      .selectFrom('device_module_states')
      .select('observed')
      .where('device_id', '=', deviceId)
      .where('module', '=', 'antivirus')
      .executeTakeFirst();
    const wwan = await this.db
      .selectFrom('device_module_states')
      .select('observed')
      .where('device_id', '=', deviceId)
      .where('module', '=', 'wwan-failover')
      .executeTakeFirst();
    return {
      device,
      data,
      rebootSeenSince: reboot,
      antivirusObserved: module?.observed ? (JSON.parse(module.observed) as unknown) : undefined,
      antivirusLastScan: await this.antivirusLastScan(deviceId),
      wwan: wwan?.observed ? (JSON.parse(wwan.observed) as unknown) : undefined,
    };
  }

  /** The last finished antivirus scan and its first detections (the tables of hub/src/antivirus). */
  private async antivirusLastScan(deviceId: string): Promise<AntivirusLastScan | undefined> {
    const scan = await this.db
      .selectFrom('antivirus_scans')
      .select(['scan_id', 'result', 'finished_at', 'detections', 'errors', 'exit_code'])
      .where('device_id', '=', deviceId)
      .where('finished_at', 'is not', null)
      .orderBy('finished_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!scan?.result || !scan.finished_at) return undefined;
    const detections = await this.db
      .selectFrom('antivirus_detections')
      .select(['path', 'signature', 'action'])
      .where('device_id', '=', deviceId)
      .where('scan_id', '=', scan.scan_id)
      .orderBy('idx')
      .limit(ANTIVIRUS_DETECTIONS_READ)
      .execute();
    return {
      scanId: scan.scan_id,
      result: scan.result,
      finishedAt: scan.finished_at,
      detectionCount: scan.detections,
      detections,
      errors: JSON.parse(scan.errors) as string[],
      exitCode: scan.exit_code,
    };
  }

  async conditionSince(deviceId: string, type: string, subject: string): Promise<string | undefined> {
    const r = await this.db
      .selectFrom('alert_conditions')
      .select('since')
      .where('device_id', '=', deviceId)
      .where('type', '=', type)
      .where('subject', '=', subject)
      .executeTakeFirst();
    return r?.since;
  }

  /** Remembers since when a condition holds (kept as first seen), or forgets it when it no longer does. */
  async setCondition(deviceId: string, type: string, subject: string, since: string | null): Promise<void> {
    if (since === null) {
      await this.db
        .deleteFrom('alert_conditions')
        .where('device_id', '=', deviceId)
        .where('type', '=', type)
        .where('subject', '=', subject)
        .execute();
      return;
    }
    await this.db
      .insertInto('alert_conditions')
      .values({ device_id: deviceId, type, subject, since })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
