import type { Updateable } from 'kysely';
import type { Db } from '../database/database.js';
import { setsNothing } from '../database/patch.js';
import type { DevicesTable } from '../database/schema.js';

export interface SectionWrite {
  section: string;
  hash: string | null;
  data: string | null;
  error: string | null;
}

/**
 * Writes what devices publish. Each message is recorded in `ingested_messages` in the same
 * transaction as its effect, so a message re-sent after a lost PUBACK is recognised and stored once.
 */
export class IngestRepository {
  constructor(private readonly db: Db) {}

  /** Runs `apply` once per message id; returns false (and writes nothing) for a duplicate. */
  async once(
    msg: { id: string; deviceId: string; kind: string; receivedAt: string },
    apply: (tx: Db) => Promise<void>,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const r = await tx
        .insertInto('ingested_messages')
        .values({ id: msg.id, device_id: msg.deviceId, kind: msg.kind, received_at: msg.receivedAt })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      await apply(tx);
      return true;
    });
  }

  async insertHealthSamples(tx: Db, rows: { messageId: string; deviceId: string; ts: string; data: string }[]) {
    if (rows.length === 0) return;
    await tx
      .insertInto('health_samples')
      .values(rows.map((r, idx) => ({ message_id: r.messageId, idx, device_id: r.deviceId, ts: r.ts, data: r.data })))
      .execute();
  }

  async updateDevice(tx: Db, deviceId: string, patch: Omit<Updateable<DevicesTable>, 'id'>) {
    if (setsNothing(patch)) return;
    await tx.updateTable('devices').set(patch).where('id', '=', deviceId).execute();
  }

  async upsertSections(tx: Db, deviceId: string, updatedAt: string, sections: SectionWrite[]) {
    for (const s of sections) {
      await tx
        .insertInto('inventory_sections')
        .values({ device_id: deviceId, updated_at: updatedAt, ...s })
        // A failed collection records the error but keeps the last good data of the section.
        .onConflict((oc) =>
          oc
            .columns(['device_id', 'section'])
            .doUpdateSet(
              s.error !== null
                ? { error: s.error, updated_at: updatedAt }
                : { hash: s.hash, data: s.data, error: null, updated_at: updatedAt },
            ),
        )
        .execute();
    }
  }
}
