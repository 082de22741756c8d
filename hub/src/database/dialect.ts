import { type Kysely, type OrderByItemBuilder, PostgresAdapter, type RawBuilder, sql, type Transaction } from 'kysely';

/**
 * The few SQL expressions SQLite and PostgreSQL spell differently. Everything else the hub writes is
 * portable (Kysely's builder, `lower(x) like lower(p)`, `string_agg`, `with recursive`, `false`,
 * `case when exists (…) then 1 else 0 end`); what is here is what is not. The dialect is read from the
 * Kysely instance itself, so a repository needs nothing more than the `db` it already has.
 */
export type DialectName = 'sqlite' | 'postgres';

// biome-ignore lint/suspicious/noExplicitAny: any schema: the dialect does not depend on the tables
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** A key path such as `signatureDate` or `os.name`, checked so that it can be written into the SQL. */
function keyPath(path: string): string[] {
  const keys = path.split('.');
  if (!keys.every((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))) throw new Error(`not a JSON key path: ${path}`);
  return keys;
}

/** A JSON text column's (or a JSON value's) field as text; null when absent. */
// biome-ignore lint/suspicious/noExplicitAny: any schema
export function jsonText(db: Kysely<any>, json: RawBuilder<unknown>, path: string): RawBuilder<string | null> {
  const keys = keyPath(path);
  return dialectOf(db) === 'postgres'
    ? sql<string | null>`(cast(${json} as jsonb) #>> ${sql.lit(`{${keys.join(',')}}`)})`
    : sql<string | null>`json_extract(${json}, ${sql.lit(`$.${keys.join('.')}`)})`;
}

/** A JSON boolean field as 1, 0 or null (the hub's booleans are integers, as SQLite's json_extract gives them). */
// biome-ignore lint/suspicious/noExplicitAny: any schema
export function jsonFlag(db: Kysely<any>, json: RawBuilder<unknown>, path: string): RawBuilder<number | null> {
  if (dialectOf(db) === 'sqlite')
    return sql<number | null>`json_extract(${json}, ${sql.lit(`$.${keyPath(path).join('.')}`)})`;
  return sql<number | null>`(case ${jsonText(db, json, path)} when 'true' then 1 when 'false' then 0 end)`;
}

/**
 * A table of a JSON array's elements, one row per element with its element as `alias.value`: JSON values
 * (read them with jsonText), or text with `asText` (an array of strings).
 */
export function jsonElements(
  // biome-ignore lint/suspicious/noExplicitAny: any schema
  db: Kysely<any>,
  json: RawBuilder<unknown>,
  alias: string,
  options: { path?: string; asText?: boolean } = {},
): RawBuilder<unknown> {
  const name = sql.id(alias);
  if (dialectOf(db) === 'sqlite') {
    // json_each walks a scalar as one element: only an array has elements here, on both stores.
    const at = sql.lit(options.path ? `$.${keyPath(options.path).join('.')}` : '$');
    return sql`json_each(case when json_type(${json}, ${at}) = 'array' then json_extract(${json}, ${at}) else '[]' end) ${name}`;
  }
  const array = options.path
    ? sql`(cast(${json} as jsonb) #> ${sql.lit(`{${keyPath(options.path).join(',')}}`)})`
    : sql`cast(${json} as jsonb)`;
  // jsonb_array_elements fails on a non-array: such a value has no elements.
  const guarded = sql`(case when jsonb_typeof(${array}) = 'array' then ${array} else '[]'::jsonb end)`;
  return options.asText
    ? sql`jsonb_array_elements_text(${guarded}) ${name}(value)`
    : sql`jsonb_array_elements(${guarded}) ${name}(value)`;
}

/**
 * Days from the ISO-8601 timestamp (or date) `earlier` to `later`, fractional; null when either is null or
 * not a date (SQLite's julianday gives null there; on PostgreSQL a cast would fail the whole query, so
 * bascule_timestamptz, migration 0021, gives null instead).
 */
export function daysBetween(
  // biome-ignore lint/suspicious/noExplicitAny: any schema
  db: Kysely<any>,
  later: RawBuilder<unknown> | string,
  earlier: RawBuilder<unknown>,
): RawBuilder<number | null> {
  if (dialectOf(db) === 'sqlite') return sql<number | null>`(julianday(${later}) - julianday(${earlier}))`;
  // Only what reads as an ISO date: PostgreSQL would also take 'yesterday' or 'Dec 2 2026', SQLite would not.
  const stamp = (v: RawBuilder<unknown> | string) =>
    sql`(case when cast(${v} as text) ~ '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?(Z|[+-]\\d{2}:?\\d{2})?$'
      then bascule_timestamptz(cast(${v} as text)) end)`;
  return sql<number | null>`(extract(epoch from (${stamp(later)} - ${stamp(earlier)})) / 86400.0)`;
}

/**
 * A sort direction with nulls placed as SQLite places them (the smallest value: first ascending, last
 * descending); PostgreSQL's default is the opposite. Lists therefore read the same on both stores.
 */
export function nullsAsSmallest(order: 'asc' | 'desc') {
  return (ob: OrderByItemBuilder) => (order === 'asc' ? ob.asc().nullsFirst() : ob.desc().nullsLast());
}

/** A unique constraint broken: SQLite says it in the message, PostgreSQL with SQLSTATE 23505. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === '23505' || (typeof e?.message === 'string' && e.message.includes('UNIQUE constraint failed'));
}

/**
 * Makes transactions that name the same `key` run one after the other (until commit or rollback). For a
 * read-then-write or delete-then-insert that must not interleave (two hubs taking the same snapshot):
 * SQLite already runs one writing transaction at a time (Kysely's driver holds its one connection);
 * PostgreSQL at READ COMMITTED does not, so a transaction-scoped advisory lock does it there.
 */
// biome-ignore lint/suspicious/noExplicitAny: any schema
export async function serializeTransactions(tx: Transaction<any>, key: string): Promise<void> {
  if (dialectOf(tx) === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(tx);
}
