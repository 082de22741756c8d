import type { Kysely } from 'kysely';

/**
 * Department scope of an account (a helpdesk for schools sees only schools' machines): a JSON list of
 * department names, their sub-departments in the registry's tree included; null sees every department.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('departments', 'text').execute();
}
