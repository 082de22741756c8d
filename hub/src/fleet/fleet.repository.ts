import { sql } from 'kysely';
import type { Db } from '../database/database.js';
import { nullsAsSmallest } from '../database/dialect.js';

/** The fleet overview, aggregated by the database (GROUP BY), never by loading devices. */
export interface FleetOverview {
  generatedAt: string;
  devices: { total: number; online: number; offline: number };
  byOs: { os: string | null; count: number }[];
  byModel: { model: string | null; count: number }[];
  byDepartment: { department: string; count: number; online: number }[];
  /** Active alerts (open + acknowledged) by type, and how many devices they concern. */
  alertsByType: { type: string; open: number; acknowledged: number; devices: number }[];
}

const TOP = 50;

export class FleetRepository {
  constructor(private readonly db: Db) {}

  async overview(department?: string): Promise<Omit<FleetOverview, 'generatedAt'>> {
    let devices = this.db.selectFrom('devices');
    if (department !== undefined) devices = devices.where('department', '=', department);
    const totals = await devices
      .select([(eb) => eb.fn.countAll<number>().as('total'), (eb) => eb.fn.sum<number>('online').as('online')])
      .executeTakeFirst();
    const byOs = await devices
      .select(['os', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('os')
      .orderBy('n', 'desc')
      .orderBy('os', nullsAsSmallest('asc'))
      .limit(TOP)
      .execute();
    const byModel = await devices
      .select(['model', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('model')
      .orderBy('n', 'desc')
      .orderBy('model', nullsAsSmallest('asc'))
      .limit(TOP)
      .execute();
    const byDepartment = await devices
      .select(['department', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('online').as('up')])
      .groupBy('department')
      .orderBy('department')
      .execute();
    let alerts = this.db
      .selectFrom('alerts')
      .innerJoin('devices', 'devices.id', 'alerts.device_id')
      .where('alerts.state', '<>', 'resolved');
    if (department !== undefined) alerts = alerts.where('devices.department', '=', department);
    const byType = await alerts
      .select([
        'alerts.type',
        sql<number>`sum(case when alerts.state = 'open' then 1 else 0 end)`.as('open'),
        sql<number>`sum(case when alerts.state = 'acknowledged' then 1 else 0 end)`.as('ack'),
        sql<number>`count(distinct alerts.device_id)`.as('devices'),
      ])
      .groupBy('alerts.type')
      .orderBy('alerts.type')
      .execute();
    const total = Number(totals?.total ?? 0);
    const online = Number(totals?.online ?? 0);
    return {
      devices: { total, online, offline: total - online },
      byOs: byOs.map((r) => ({ os: r.os, count: Number(r.n) })),
      byModel: byModel.map((r) => ({ model: r.model, count: Number(r.n) })),
      byDepartment: byDepartment.map((r) => ({ department: r.department, count: Number(r.n), online: Number(r.up) })),
      alertsByType: byType.map((r) => ({
        type: r.type,
        open: Number(r.open),
        acknowledged: Number(r.ack),
        devices: Number(r.devices),
      })),
    };
  }
}
