import type { Kysely } from 'kysely';

/**
 * Forwarding of inventories to a GLPI server: one row per device, both the queue (pending, when the
 * next attempt is due) and the outcome the REST status shows. One row, not one per inventory: what is
 * sent is built from the stored inventory at send time, so a newer inventory replaces a queued one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('glpi_forwarding')
    .addColumn('device_id', 'text', (c) => c.primaryKey().references('devices.id').onDelete('cascade'))
    /** 1 while an inventory waits to be sent. */
    .addColumn('pending', 'integer', (c) => c.notNull())
    .addColumn('queued_at', 'text')
    .addColumn('next_attempt_at', 'text')
    /** Failed attempts since the last success (drives the backoff). */
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_success_at', 'text')
    .addColumn('last_failure_at', 'text')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema
    .createIndex('glpi_forwarding_due')
    .on('glpi_forwarding')
    .columns(['pending', 'next_attempt_at'])
    .execute();
}
