import { type Kysely, sql } from 'kysely';

/** Health in depth: hourly roll-ups of the samples, what is left to roll up, alerts and how long a condition has held. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Retention deletes raw samples by age across all devices.
  await db.schema.createIndex('health_samples_ts').on('health_samples').column('ts').execute();

  await db.schema
    .createTable('health_hourly')
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    /** Start of the hour, ISO-8601 UTC (`2026-11-25T10:00:00.000Z`). */
    .addColumn('hour', 'text', (c) => c.notNull())
    .addColumn('samples', 'integer', (c) => c.notNull())
    .addColumn('load1_avg', 'real', (c) => c.notNull())
    .addColumn('load1_max', 'real', (c) => c.notNull())
    .addColumn('mem_used_pct_avg', 'real', (c) => c.notNull())
    .addColumn('mem_used_pct_max', 'real', (c) => c.notNull())
    .addColumn('swap_used_pct_max', 'real', (c) => c.notNull())
    .addColumn('disk_used_pct_max', 'real')
    .addColumn('temp_max_c', 'real')
    .addColumn('battery_pct_min', 'real')
    .addPrimaryKeyConstraint('health_hourly_pk', ['device_id', 'hour'])
    .execute();
  await db.schema.createIndex('health_hourly_hour').on('health_hourly').column('hour').execute();

  /** Hours that received samples since they were last rolled up (late samples from an outbox included). */
  await db.schema
    .createTable('health_rollup_pending')
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('hour', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('health_rollup_pending_pk', ['device_id', 'hour'])
    .execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    /** What the alert is about on the device: a mount point, a unit, a disk; '' when the type says it all. */
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open','acknowledged','resolved')`))
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    /** Last time the condition was seen true (or the detail changed). */
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('resolved_at', 'text')
    .execute();
  // One alert per (device, type, subject) that is not resolved; a resolved one may come back as a new alert.
  await db.schema
    .createIndex('alerts_one_active')
    .on('alerts')
    .columns(['device_id', 'type', 'subject'])
    .unique()
    .where(sql.ref('state'), '<>', 'resolved')
    .execute();
  for (const col of ['state', 'type', 'opened_at']) {
    await db.schema.createIndex(`alerts_${col}`).on('alerts').column(col).execute();
  }

  /** Since when a condition that needs time before it alerts (reboot required) has been seen, when the device does not say. */
  await db.schema
    .createTable('alert_conditions')
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('since', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_conditions_pk', ['device_id', 'type', 'subject'])
    .execute();
}
