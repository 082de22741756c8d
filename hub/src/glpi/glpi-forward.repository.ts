import type { Selectable } from 'kysely';
import type { Db } from '../database/database.js';
import type { GlpiForwardingTable } from '../database/schema.js';

export type GlpiForwardRow = Selectable<GlpiForwardingTable>;

/** The persisted GLPI queue: survives a hub restart, one row per device. */
export class GlpiForwardRepository {
  constructor(private readonly db: Db) {}

  /** Marks the device's inventory as waiting; a device already waiting keeps its backoff. */
  async enqueue(deviceId: string, at: string): Promise<void> {
    await this.db
      .insertInto('glpi_forwarding')
      .values({ device_id: deviceId, pending: 1, queued_at: at, next_attempt_at: at, attempts: 0 })
      .onConflict((oc) =>
        oc.column('device_id').doUpdateSet((eb) => ({
          queued_at: at,
          // Waiting out a failure: the new inventory goes at the planned retry, not at once.
          next_attempt_at: eb
            .case()
            .when('glpi_forwarding.pending', '=', 1)
            .then(eb.ref('glpi_forwarding.next_attempt_at'))
            .else(at)
            .end(),
          pending: 1,
        })),
      )
      .execute();
  }

  /** Devices whose attempt is due at `now`, oldest first. */
  due(now: string, limit: number): Promise<GlpiForwardRow[]> {
    return this.db
      .selectFrom('glpi_forwarding')
      .selectAll()
      .where('pending', '=', 1)
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
  }

  /** When the next attempt is due, if any is waiting. */
  async nextDue(): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('glpi_forwarding')
      .select((eb) => eb.fn.min('next_attempt_at').as('next'))
      .where('pending', '=', 1)
      .executeTakeFirst();
    return row?.next ?? undefined;
  }

  /**
   * Sent. `queuedAt`: the queue time the attempt started from; an inventory queued meanwhile stays
   * pending, so it is sent too.
   */
  async sent(deviceId: string, at: string, queuedAt: string | null): Promise<void> {
    await this.db
      .updateTable('glpi_forwarding')
      .set((eb) => ({
        pending: eb.case().when('queued_at', 'is distinct from', queuedAt).then(1).else(0).end(),
        attempts: 0,
        last_success_at: at,
        next_attempt_at: at,
      }))
      .where('device_id', '=', deviceId)
      .execute();
  }

  async failed(deviceId: string, at: string, error: string, attempts: number, nextAttemptAt: string): Promise<void> {
    await this.db
      .updateTable('glpi_forwarding')
      .set({ attempts, last_failure_at: at, last_error: error.slice(0, 2000), next_attempt_at: nextAttemptAt })
      .where('device_id', '=', deviceId)
      .execute();
  }

  /** Every device's row with its name, failing ones first. */
  list(): Promise<Array<GlpiForwardRow & { hostname: string }>> {
    return this.db
      .selectFrom('glpi_forwarding')
      .innerJoin('devices', 'devices.id', 'glpi_forwarding.device_id')
      .selectAll('glpi_forwarding')
      .select('devices.hostname')
      .orderBy('glpi_forwarding.attempts', 'desc')
      .orderBy('devices.hostname')
      .execute();
  }
}
