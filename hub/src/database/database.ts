import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from '../core/logger.js';
import { type DatabaseLocation, displayDatabaseUrl } from './database-location.js';
import { migrations } from './migrations/index.js';
import { PostgresColumnTypes } from './postgres-column-types.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface OpenedDatabase {
  db: Db;
  engine: DatabaseLocation['engine'];
  close(): Promise<void>;
}

/** Opens the hub's database, SQLite or PostgreSQL, with every pending migration applied. */
export async function openDatabase(location: DatabaseLocation, logger: Logger): Promise<OpenedDatabase> {
  const opened = location.engine === 'sqlite' ? openSqlite(location.file) : openPostgres(location.url, logger);
  logger.info('database: opening', {
    engine: location.engine,
    ...(location.engine === 'sqlite' ? { file: location.file } : { url: displayDatabaseUrl(location.url) }),
  });
  try {
    await migrate(opened.db, logger);
  } catch (err) {
    await opened.close();
    if (location.engine === 'postgres') {
      throw new Error(`PostgreSQL at ${displayDatabaseUrl(location.url)}: ${(err as Error).message}`, { cause: err });
    }
    throw err;
  }
  return opened;
}

/**
 * SQLite: WAL journal (readers never block the writer), foreign keys on, a busy timeout so the CLI and a
 * running hub can share the file.
 */
function openSqlite(file: string): OpenedDatabase {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const sqlite = new SqliteDatabase(file);
  fs.chmodSync(file, 0o600);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, engine: 'sqlite', close: () => db.destroy() };
}

/** PostgreSQL's 64-bit integers and numerics (counts, sums) come back as strings by default: numbers here, as in SQLite. */
const NUMERIC_OIDS = new Set([20, 1700]);
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (NUMERIC_OIDS.has(oid) && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

/**
 * PostgreSQL: a pool of connections in UTC (timestamps are ISO-8601 text, as in SQLite, compared as text).
 * A connection the server drops is logged and replaced by the pool, never fatal: while idle the pool hears
 * it, while in use the connection itself does (pg-pool stops listening to a connection it hands out, and
 * an unheard 'error' would end the process); the query it ran fails with the reason, as any query error.
 * A server that does not answer fails a connection after 10 s instead of hanging start-up and ingest.
 */
function openPostgres(url: string, logger: Logger): OpenedDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    options: '-c TimeZone=UTC',
    types,
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
  });
  pool.on('error', (err) =>
    logger.error('database: an idle PostgreSQL connection failed; the pool opens another', { error: err }),
  );
  pool.on('connect', (client) =>
    client.on('error', (err) =>
      logger.error('database: a PostgreSQL connection in use failed; its query fails, the pool opens another', {
        error: err,
      }),
    ),
  );
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new PostgresColumnTypes()] });
  return { db, engine: 'postgres', close: () => db.destroy() };
}

async function migrate(db: Db, logger: Logger): Promise<void> {
  // Features developed side by side land their migrations in any order (numbers are reserved per piece of work,
  // docs/decisions.md): a database that already ran 0020 still takes a 0012 that landed after it.
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  for (const r of results ?? []) {
    if (r.status === 'Success') logger.info('database migration applied', { migration: r.migrationName });
    else if (r.status === 'Error') logger.error('database migration failed', { migration: r.migrationName });
  }
  if (error) throw new Error(`database migration failed: ${(error as Error).message ?? String(error)}`);
}
