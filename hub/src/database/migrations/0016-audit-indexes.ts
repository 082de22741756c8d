import type { Kysely } from 'kysely';

/** The audit log is read by date and by actor (`GET /audit` filters); it only grows. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('audit_log_ts').on('audit_log').column('ts').execute();
  await db.schema.createIndex('audit_log_actor_ts').on('audit_log').columns(['actor', 'ts']).execute();
}
