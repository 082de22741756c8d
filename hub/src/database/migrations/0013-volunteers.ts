import type { Kysely } from 'kysely';

/**
 * Volunteer sign-up: the campaign links IT shares with the staff (token kept as a hash) and the
 * requests filed through them, triaged by IT (docs/rest-api.md, "Volunteers").
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('volunteer_campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('volunteer_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('volunteer_campaigns.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('department_id', 'text', (c) => c.references('registry_departments.id').onDelete('set null'))
    .addColumn('machine', 'text', (c) => c.notNull())
    .addColumn('constraints', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('waiting'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('machine_id', 'text', (c) => c.references('registry_machines.id').onDelete('set null'))
    .addColumn('refusal_reason', 'text')
    .execute();
  await db.schema
    .createIndex('volunteer_requests_state')
    .on('volunteer_requests')
    .columns(['state', 'created_at'])
    .execute();
}
