import type { Kysely } from 'kysely';

/** Hourly roll-ups keep each mount point's use, so that the year's chart shows /home beside /. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('health_hourly').addColumn('disks_json', 'text').execute();
}
