import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import type { Logger } from '../core/logger.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface OpenedDatabase {
  db: Db;
  /** The raw handle, for pragmas and integrity checks. */
  sqlite: SqliteDatabase.Database;
  close(): Promise<void>;
}

/**
 * Opens the hub database: WAL journal (readers never block the writer), foreign keys on,
 * a busy timeout so the CLI and a running hub can share the file, and every pending migration applied.
 */
export async function openDatabase(file: string, logger: Logger): Promise<OpenedDatabase> {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const sqlite = new SqliteDatabase(file);
  fs.chmodSync(file, 0o600);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db, logger);
  return {
    db,
    sqlite,
    close: async () => {
      await db.destroy();
    },
  };
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
