import type { Kysely } from 'kysely';

/** What devices report on `event` (scans, detections, link changes…), kept per device (docs/protocol.md). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('device_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('ts', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  // A device's page lists its events newest first, filtered by type; the fleet view by type and time.
  await db.schema.createIndex('device_events_device_ts').on('device_events').columns(['device_id', 'ts']).execute();
  await db.schema.createIndex('device_events_type_ts').on('device_events').columns(['type', 'ts']).execute();
  await db.schema.createIndex('device_events_ts').on('device_events').column('ts').execute();
}
