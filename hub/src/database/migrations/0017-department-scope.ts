import { type Kysely, sql } from 'kysely';

/**
 * Where an account signs in: `local` (password hash here) or `ldap` (Active Directory bind; the local
 * row holds no password and its role follows the AD groups at each sign-in).
 *
 * Department scope of an account (a helpdesk for schools sees only schools' machines): a JSON list of
 * department names, their sub-departments in the registry's tree included; null sees every department.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('departments', 'text').execute();
  await db.schema
    .alterTable('users')
    .addColumn('auth_source', 'text', (c) =>
      c.notNull().defaultTo('local').check(sql`auth_source in ('local', 'ldap')`),
    )
    .execute();
}
