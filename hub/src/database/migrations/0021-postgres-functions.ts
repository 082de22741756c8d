import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * PostgreSQL only: `bascule_timestamptz(text)`, a timestamp or null, never an error. A cast of a text that
 * looks like a date but is not one ('2026-02-30', '24:61') fails the whole query on PostgreSQL, where
 * SQLite's julianday gives null; values such as an antivirus signature date come from desktops.
 * (PostgreSQL 16 has pg_input_is_valid; Debian 12 ships 15.) SQLite needs nothing: a no-op there.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`
    create or replace function bascule_timestamptz(value text) returns timestamptz
    language plpgsql stable as $$
    begin
      return value::timestamptz;
    exception when others then
      return null;
    end
    $$`.execute(db);
}
