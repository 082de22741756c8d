import { type Kysely, sql } from 'kysely';

/**
 * Metered mode set on the hub per device (`PATCH /devices/{id}`): `auto` leaves it to the agent, `on` /
 * `off` force it; it reaches the agent in the `agent` section of its config.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('devices')
    .addColumn('metered', 'text', (c) => c.notNull().defaultTo('auto').check(sql`metered in ('auto', 'on', 'off')`))
    .execute();
}
