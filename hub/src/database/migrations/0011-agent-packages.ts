import type { Kysely } from 'kysely';

/** The agent packages the hub serves for self-update (files in DATA/agent-packages/, one per version). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agent_packages')
    .addColumn('version', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull().unique())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .execute();
}
