import { type Kysely, sql } from 'kysely';

/** What the copy did, table by table, in the order it copied them. */
export interface CopiedTable {
  table: string;
  rows: number;
}

export interface CopyReport {
  tables: CopiedTable[];
  rows: number;
  /** `table.column` of each bigserial whose sequence was moved past the copied ids. */
  sequences: string[];
}

/** A refusal or a failure a person can act on: which table, which row, why. */
export class CopyError extends Error {}

// biome-ignore lint/suspicious/noExplicitAny: the copy walks whatever tables the migrations made
type AnyDb = Kysely<any>;
type Row = Record<string, unknown>;

/** PostgreSQL takes at most 65,535 parameters a statement; rows are inserted in batches below that. */
const MAX_PARAMETERS = 60_000;
const MAX_BATCH_ROWS = 1_000;
const ROWID = '__bascule_rowid';

/**
 * Copies every table of a hub's SQLite database into an empty PostgreSQL database at the same migrations
 * (both opened by openDatabase, which migrates them), in one PostgreSQL transaction: a failure leaves the
 * target as empty as it was. Tables go parents first (foreign keys are checked on PostgreSQL as rows
 * arrive); rows of a table that references itself go parents first too. The row counts are compared
 * before the commit, and the bigserial sequences are moved past the copied ids so that the next insert
 * does not collide. The source is only read; the hub must be stopped (the caller checks).
 */
export async function copySqliteToPostgres(
  source: AnyDb,
  target: AnyDb,
  onTable: (copied: CopiedTable) => void = () => undefined,
  /** Rows per INSERT at most (PostgreSQL checks foreign keys at the end of each). */
  batchRows = MAX_BATCH_ROWS,
): Promise<CopyReport> {
  const tables = await sqliteTables(source);
  const targetColumns = await postgresColumns(target);
  for (const t of tables) {
    const theirs = targetColumns.get(t.name);
    if (!theirs) throw new CopyError(`the PostgreSQL database has no table ${t.name}: is it a Bascule hub database?`);
    const missing = t.columns.filter((c) => !theirs.has(c));
    if (missing.length > 0)
      throw new CopyError(`the PostgreSQL table ${t.name} lacks the column(s) ${missing.join(', ')}`);
  }
  for (const t of tables) {
    const { rows } = await sql<{ found: number }>`select 1 as found from ${sql.table(t.name)} limit 1`.execute(target);
    if (rows.length > 0) {
      throw new CopyError(
        `the PostgreSQL database is not empty (table ${t.name} has rows): give a new database (createdb), the copy never merges`,
      );
    }
  }

  const ordered = parentsFirst(tables);
  const report: CopyReport = { tables: [], rows: 0, sequences: [] };
  await target.transaction().execute(async (trx) => {
    for (const t of ordered) {
      const rows = await copyTable(source, trx, t, batchRows);
      const [{ count } = { count: -1 }] = (
        await sql<{ count: number }>`select count(*) as count from ${sql.table(t.name)}`.execute(trx)
      ).rows;
      if (Number(count) !== rows) throw new CopyError(`table ${t.name}: ${rows} rows read, ${count} in PostgreSQL`);
      report.tables.push({ table: t.name, rows });
      report.rows += rows;
      onTable({ table: t.name, rows });
    }
    report.sequences = await advanceSequences(trx, new Set(tables.map((t) => t.name)));
  });
  return report;
}

interface SqliteTable {
  name: string;
  columns: string[];
  /** The tables its foreign keys name (itself included). */
  parents: Set<string>;
  /** Its columns that reference its own table, with the column they reference. */
  selfReferences: { column: string; references: string }[];
}

async function sqliteTables(db: AnyDb): Promise<SqliteTable[]> {
  const names = (
    await sql<{ name: string }>`select name from sqlite_master where type = 'table'
      and name not like 'sqlite\\_%' escape '\\' and name not like 'kysely\\_%' escape '\\' order by name`.execute(db)
  ).rows.map((r) => r.name);
  const tables: SqliteTable[] = [];
  for (const name of names) {
    const columns = (await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(db)).rows.map(
      (r) => r.name,
    );
    const keys = (
      await sql<{ table: string; from: string; to: string | null }>`select "table", "from", "to"
        from pragma_foreign_key_list(${name})`.execute(db)
    ).rows;
    tables.push({
      name,
      columns,
      parents: new Set(keys.map((k) => k.table)),
      selfReferences: keys.filter((k) => k.table === name).map((k) => ({ column: k.from, references: k.to ?? 'id' })),
    });
  }
  return tables;
}

async function postgresColumns(db: AnyDb): Promise<Map<string, Set<string>>> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`select table_name, column_name
    from information_schema.columns where table_schema = current_schema()`.execute(db);
  const byTable = new Map<string, Set<string>>();
  for (const r of rows) {
    const columns = byTable.get(r.table_name) ?? new Set<string>();
    columns.add(r.column_name);
    byTable.set(r.table_name, columns);
  }
  return byTable;
}

/** Tables sorted so that every table comes after the tables its foreign keys name. */
export function parentsFirst<T extends { name: string; parents: Set<string> }>(tables: T[]): T[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const ordered: T[] = [];
  const visit = (t: T, path: string[]): void => {
    if (done.has(t.name)) return;
    if (visiting.has(t.name)) throw new CopyError(`foreign keys form a cycle: ${[...path, t.name].join(' → ')}`);
    visiting.add(t.name);
    for (const parent of t.parents) {
      const p = byName.get(parent);
      if (p && parent !== t.name) visit(p, [...path, t.name]);
    }
    visiting.delete(t.name);
    done.add(t.name);
    ordered.push(t);
  };
  for (const t of tables) visit(t, []);
  return ordered;
}

async function copyTable(source: AnyDb, target: AnyDb, table: SqliteTable, maxRows: number): Promise<number> {
  const batchRows = Math.max(1, Math.min(maxRows, Math.floor(MAX_PARAMETERS / table.columns.length)));
  const columns = sql.join(table.columns.map((c) => sql.id(c)));
  const insert = async (rows: Row[], where: string) => {
    try {
      await target.insertInto(table.name).values(rows).execute();
    } catch (err) {
      throw new CopyError(`table ${table.name}, ${where}: ${(err as Error).message}`, { cause: err });
    }
  };
  if (table.selfReferences.length > 0) {
    // Few rows (departments): read whole, then inserted parents first.
    const rows = (await sql<Row>`select ${columns} from ${sql.table(table.name)}`.execute(source)).rows;
    const sorted = selfParentsFirst(table, rows);
    for (let i = 0; i < sorted.length; i += batchRows) {
      await insert(sorted.slice(i, i + batchRows), `rows ${i + 1}–${Math.min(i + batchRows, sorted.length)}`);
    }
    return rows.length;
  }
  // Keyset pages by rowid: large tables (health samples, ingested messages) are never held whole.
  let after = 0;
  let copied = 0;
  for (;;) {
    const page = (
      await sql<Row>`select rowid as ${sql.id(ROWID)}, ${columns} from ${sql.table(table.name)}
        where rowid > ${after} order by rowid limit ${batchRows}`.execute(source)
    ).rows;
    if (page.length === 0) return copied;
    after = Number(page.at(-1)?.[ROWID]);
    for (const row of page) delete row[ROWID];
    await insert(page, `the ${page.length} rows up to rowid ${after}`);
    copied += page.length;
  }
}

/** Rows of a self-referencing table ordered so that a row comes after the row it references. */
function selfParentsFirst(table: SqliteTable, rows: Row[]): Row[] {
  const sorted: Row[] = [];
  const placed = table.selfReferences.map(() => new Set<unknown>());
  let pending = rows;
  while (pending.length > 0) {
    const next: Row[] = [];
    for (const row of pending) {
      const ready = table.selfReferences.every(
        (ref, i) => row[ref.column] === null || row[ref.column] === undefined || placed[i]?.has(row[ref.column]),
      );
      if (ready) {
        sorted.push(row);
        for (const [i, ref] of table.selfReferences.entries()) placed[i]?.add(row[ref.references]);
      } else {
        next.push(row);
      }
    }
    if (next.length === pending.length) {
      throw new CopyError(
        `table ${table.name}: ${next.length} row(s) reference rows that do not exist or form a cycle`,
      );
    }
    pending = next;
  }
  return sorted;
}

/** Moves each bigserial sequence of the copied tables past its column's largest value. */
async function advanceSequences(db: AnyDb, tables: Set<string>): Promise<string[]> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`select table_name, column_name
    from information_schema.columns
    where table_schema = current_schema() and column_default like 'nextval(%'
    order by table_name, column_name`.execute(db);
  const moved: string[] = [];
  for (const { table_name: table, column_name: column } of rows) {
    if (!tables.has(table)) continue;
    await sql`select setval(pg_get_serial_sequence(${table}, ${column}),
      coalesce((select max(${sql.id(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(db);
    moved.push(`${table}.${column}`);
  }
  return moved;
}
