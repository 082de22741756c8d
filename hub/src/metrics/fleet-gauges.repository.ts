import { sql } from 'kysely';
import type { Db } from '../database/database.js';
import type { GaugeSample } from './metrics.js';

/**
 * The numbers `/metrics` reads from the database when scraped: devices by connection state, rollouts by
 * state, and the depth of the queues that live in tables. Plain query-builder counts, portable across the
 * hub's stores; each is one indexed or small-table scan (about 5 ms on 50,000 devices, docs/performance.md).
 */
export class FleetGaugesRepository {
  constructor(private readonly db: Db) {}

  async devicesByState(): Promise<GaugeSample[]> {
    const rows = await this.db
      .selectFrom('devices')
      .select(['online', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('online')
      .execute();
    const count = (online: number) => Number(rows.find((r) => Number(r.online) === online)?.n ?? 0);
    return [
      { labels: { state: 'online' }, value: count(1) },
      { labels: { state: 'offline' }, value: count(0) },
    ];
  }

  async rolloutsByState(): Promise<GaugeSample[]> {
    const rows = await this.db
      .selectFrom('rollouts')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('state')
      .execute();
    const states = ['running', 'paused', 'halted', 'completed', 'rolled-back'] as const;
    return states.map((state) => ({
      labels: { state },
      value: Number(rows.find((r) => r.state === state)?.n ?? 0),
    }));
  }

  /** Devices whose inventory waits to be forwarded to GLPI (queued, or failed and waiting for a retry). */
  async glpiForwardPending(): Promise<number> {
    const row = await this.db
      .selectFrom('glpi_forwarding')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pending', '=', 1)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Devices that have reported on a configuration before and whose last report is for an older revision
   * than the one the hub now holds for them (a refused revision is not waited for): pushes not yet
   * acknowledged.
   */
  async configsBehind(): Promise<number> {
    const row = await this.db
      .selectFrom('device_configs as c')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) =>
        eb.or([eb('c.refused_revision', 'is', null), eb('c.refused_revision', '<>', eb.ref('c.revision'))]),
      )
      .where(
        (eb) =>
          eb
            .selectFrom('device_module_states as s')
            .select((s) => s.fn.max('s.config_revision').as('r'))
            .whereRef('s.device_id', '=', 'c.device_id'),
        '<',
        sql<number>`c.revision`,
      )
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
