import type { Selectable } from 'kysely';
import type { Db } from '../database/database.js';
import type { HealthHourlyTable } from '../database/schema.js';

export type HourlyRow = Selectable<HealthHourlyTable>;

/** Raw samples as the chart reads them, hourly roll-ups, and the hours still to roll up. */
export class HealthRepository {
  constructor(private readonly db: Db) {}

  async markPending(deviceId: string, hours: readonly string[]): Promise<void> {
    if (hours.length === 0) return;
    await this.db
      .insertInto('health_rollup_pending')
      .values(hours.map((hour) => ({ device_id: deviceId, hour })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  pending(limit: number): Promise<{ device_id: string; hour: string }[]> {
    return this.db
      .selectFrom('health_rollup_pending')
      .select(['device_id', 'hour'])
      .orderBy('hour')
      .limit(limit)
      .execute();
  }

  /** The raw samples of a device with from ≤ ts < to, oldest first (JSON text). */
  async samples(deviceId: string, from: string, to?: string): Promise<string[]> {
    let q = this.db
      .selectFrom('health_samples')
      .select('data')
      .where('device_id', '=', deviceId)
      .where('ts', '>=', from);
    if (to !== undefined) q = q.where('ts', '<', to);
    const rows = await q.orderBy('ts').execute();
    return rows.map((r) => r.data);
  }

  /** Stores the roll-up of an hour (replacing an earlier one: late samples make it again) and clears it as pending. */
  async saveHourly(row: HourlyRow | undefined, deviceId: string, hour: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      if (row) {
        await tx
          .insertInto('health_hourly')
          .values(row)
          .onConflict((oc) => oc.columns(['device_id', 'hour']).doUpdateSet(row))
          .execute();
      }
      await tx.deleteFrom('health_rollup_pending').where('device_id', '=', deviceId).where('hour', '=', hour).execute();
    });
  }

  hourly(deviceId: string, from: string): Promise<HourlyRow[]> {
    return this.db
      .selectFrom('health_hourly')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('hour', '>=', from)
      .orderBy('hour')
      .execute();
  }

  /** Deletes raw samples older than `rawBefore` and roll-ups older than `hourlyBefore`; returns the counts. */
  async purge(rawBefore: string, hourlyBefore: string): Promise<{ raw: number; hourly: number }> {
    const raw = await this.db.deleteFrom('health_samples').where('ts', '<', rawBefore).executeTakeFirst();
    const hourly = await this.db.deleteFrom('health_hourly').where('hour', '<', hourlyBefore).executeTakeFirst();
    return { raw: Number(raw.numDeletedRows), hourly: Number(hourly.numDeletedRows) };
  }
}
