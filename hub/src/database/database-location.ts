import fs from 'node:fs';
import path from 'node:path';

/** Where the hub keeps its data: SQLite in the data directory (the default), or a PostgreSQL server. */
export type DatabaseLocation = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string };

/** A file in the data directory that names the PostgreSQL database, for the CLI commands as for `serve`. */
export const DATABASE_URL_FILE = 'database-url';

/**
 * The hub's database: `serve --database-url`, else BASCULE_DATABASE_URL, else the URL in
 * DATA/database-url (one line, 0600: it holds the password), else DATA/bascule.db.
 */
export function databaseLocation(
  dataDir: string,
  explicitUrl?: string,
  env: NodeJS.ProcessEnv = process.env,
): DatabaseLocation {
  const url =
    explicitUrl ?? (env.BASCULE_DATABASE_URL || undefined) ?? readUrlFile(path.join(dataDir, DATABASE_URL_FILE));
  if (url === undefined) return { engine: 'sqlite', file: path.join(dataDir, 'bascule.db') };
  return { engine: 'postgres', url: parseDatabaseUrl(url) };
}

function readUrlFile(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const url = text.trim();
  if (!url) throw new Error(`${file} is empty: write the PostgreSQL URL in it, or remove it to use SQLite`);
  return url;
}

/** Checks a postgres:// URL; the error never repeats the password. */
export function parseDatabaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('database URL: not a URL (expected postgres://user:password@host:5432/bascule)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`database URL: expected postgres://…, got ${url.protocol}// (SQLite needs no URL)`);
  }
  if (url.pathname.length < 2) throw new Error('database URL: no database name (postgres://host:5432/bascule)');
  return raw;
}

/** The URL for logs: the password masked, in the authority and in a `?password=` parameter (pg reads both). */
export function displayDatabaseUrl(raw: string): string {
  const url = new URL(raw);
  if (url.password) url.password = '***';
  for (const key of [...url.searchParams.keys()]) {
    if (/pass|secret|key/i.test(key)) url.searchParams.set(key, '***');
  }
  return url.toString();
}
