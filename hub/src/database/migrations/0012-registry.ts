import { type Kysely, sql } from 'kysely';

/**
 * The fleet registry of the migration program: every machine of the organisation (Windows PCs
 * not yet migrated included), departments as a tree, CSV import jobs, the review list of
 * ambiguous matches, and one snapshot of the counts a day (docs/architecture.md, "Fleet registry").
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('registry_departments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    // Lower-cased name: a device's `department` (its enrolment token's) names one department (docs/decisions.md).
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('parent_id', 'text', (c) => c.references('registry_departments.id').onDelete('restrict'))
    .addColumn('phase', 'text', (c) => c.notNull().defaultTo('beta'))
    .addColumn('phase_changed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('registry_departments_parent').on('registry_departments').column('parent_id').execute();

  await db.schema
    .createTable('registry_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('encoding', 'text', (c) => c.notNull())
    .addColumn('separator', 'text', (c) => c.notNull())
    .addColumn('columns', 'text', (c) => c.notNull())
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('preset', 'text')
    // The decoded file, kept until the job is confirmed so the mapping can be changed and checked again.
    .addColumn('content', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('total_lines', 'integer', (c) => c.notNull())
    .addColumn('error_lines', 'integer', (c) => c.notNull())
    .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_by', 'text')
    .addColumn('confirmed_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();

  await db.schema
    .createTable('registry_machines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('serial', 'text')
    // Upper-cased, trimmed serial: what de-duplication and matching compare.
    .addColumn('serial_key', 'text', (c) => c.unique())
    .addColumn('hostname', 'text')
    .addColumn('hostname_key', 'text')
    .addColumn('department_id', 'text', (c) => c.references('registry_departments.id').onDelete('set null'))
    .addColumn('main_user', 'text')
    .addColumn('os', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('windows'))
    .addColumn('exception_reason', 'text')
    .addColumn('exception_workaround', 'text')
    .addColumn('rollback_reason', 'text')
    .addColumn('device_id', 'text', (c) => c.unique().references('devices.id').onDelete('set null'))
    .addColumn('import_id', 'text', (c) => c.references('registry_imports.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('status_changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('registry_machines_hostname').on('registry_machines').column('hostname_key').execute();
  // The dashboard groups by department and status over the whole registry.
  await db.schema
    .createIndex('registry_machines_department_status')
    .on('registry_machines')
    .columns(['department_id', 'status'])
    .execute();
  await db.schema.createIndex('registry_machines_status').on('registry_machines').column('status').execute();

  await db.schema
    .createTable('registry_machine_macs')
    // Lower-case, colon-separated: one network card belongs to one machine of the registry.
    .addColumn('mac', 'text', (c) => c.primaryKey())
    .addColumn('machine_id', 'text', (c) => c.notNull().references('registry_machines.id').onDelete('cascade'))
    .execute();
  await db.schema
    .createIndex('registry_machine_macs_machine')
    .on('registry_machine_macs')
    .column('machine_id')
    .execute();

  // A confirmed import's machines, staged by chunks (the hub keeps answering, progress is readable),
  // then moved into registry_machines in one transaction: nobody sees a half-imported file.
  await db.schema
    .createTable('registry_import_rows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('import_id', 'text', (c) => c.notNull().references('registry_imports.id').onDelete('cascade'))
    .addColumn('serial', 'text')
    .addColumn('serial_key', 'text')
    .addColumn('hostname', 'text')
    .addColumn('hostname_key', 'text')
    .addColumn('department_id', 'text')
    .addColumn('main_user', 'text')
    .addColumn('os', 'text')
    // JSON list of MACs.
    .addColumn('macs', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('registry_import_rows_import').on('registry_import_rows').column('import_id').execute();

  await db.schema
    .createTable('registry_review_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('candidates', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('machine_id', 'text', (c) => c.references('registry_machines.id').onDelete('set null'))
    .execute();
  // At most one open item per device: a second ambiguous inventory refreshes it instead of piling up.
  await sql`create unique index registry_review_open_device on registry_review_items (device_id) where state = 'open'`.execute(
    db,
  );

  await db.schema
    .createTable('registry_snapshots')
    .addColumn('day', 'text', (c) => c.notNull())
    // '' for machines without a department, '*' for the whole organisation (the trend reads 6 rows a day).
    .addColumn('department_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('registry_snapshots_pk', ['day', 'department_id', 'status'])
    .execute();
  await db.schema
    .createIndex('registry_snapshots_department_day')
    .on('registry_snapshots')
    .columns(['department_id', 'day'])
    .execute();
}
