import type { Kysely } from 'kysely';

/**
 * The antivirus status the hub keeps from the module's events (hub/src/antivirus): every scan with its
 * progress and result, the files it found infected, and the quarantine as detections and restores left it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('antivirus_scans')
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('scan_id', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('paths', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('result', 'text')
    .addColumn('engine', 'text')
    .addColumn('duration_ms', 'integer')
    .addColumn('files_scanned', 'integer')
    .addColumn('files_total', 'integer')
    .addColumn('detections', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('exit_code', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('antivirus_scans_pk', ['device_id', 'scan_id'])
    .execute();
  // The device page and the fleet view read a device's latest scans.
  await db.schema
    .createIndex('antivirus_scans_device_started')
    .on('antivirus_scans')
    .columns(['device_id', 'started_at'])
    .execute();

  await db.schema
    .createTable('antivirus_detections')
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('scan_id', 'text', (c) => c.notNull())
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('quarantine_id', 'text')
    .addColumn('error', 'text')
    .addColumn('detected_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('antivirus_detections_pk', ['device_id', 'scan_id', 'idx'])
    .execute();
  await db.schema
    .createIndex('antivirus_detections_device_at')
    .on('antivirus_detections')
    .columns(['device_id', 'detected_at'])
    .execute();

  await db.schema
    .createTable('antivirus_quarantine')
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('quarantine_id', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('scan_id', 'text')
    .addColumn('quarantined_at', 'text', (c) => c.notNull())
    .addColumn('restored_at', 'text')
    .addColumn('restored_by', 'text')
    .addPrimaryKeyConstraint('antivirus_quarantine_pk', ['device_id', 'quarantine_id'])
    .execute();
}
