import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseLocation, displayDatabaseUrl, parseDatabaseUrl } from './database-location.js';

const dataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-location-'));
const URL_A = 'postgres://bascule:pw-a@db-a.mairie.local:5432/bascule';
const URL_B = 'postgres://bascule:pw-b@db-b.mairie.local:5432/bascule';

describe('databaseLocation', () => {
  it('is SQLite in the data directory unless a URL is given, the flag first, then the environment, then DATA/database-url', () => {
    const dir = dataDir();
    expect(databaseLocation(dir, undefined, {})).toEqual({ engine: 'sqlite', file: path.join(dir, 'bascule.db') });
    fs.writeFileSync(path.join(dir, 'database-url'), `${URL_A}\n`, { mode: 0o600 });
    expect(databaseLocation(dir, undefined, {})).toEqual({ engine: 'postgres', url: URL_A });
    expect(databaseLocation(dir, undefined, { BASCULE_DATABASE_URL: URL_B })).toEqual({
      engine: 'postgres',
      url: URL_B,
    });
    expect(databaseLocation(dir, URL_A, { BASCULE_DATABASE_URL: URL_B })).toEqual({ engine: 'postgres', url: URL_A });
    fs.writeFileSync(path.join(dir, 'database-url'), '\n'); // not read when a URL is given
    expect(databaseLocation(dir, URL_A, {})).toEqual({ engine: 'postgres', url: URL_A });
  });

  it('refuses an empty file and what is not a PostgreSQL URL, and masks the password for logs', () => {
    const dir = dataDir();
    fs.writeFileSync(path.join(dir, 'database-url'), '\n');
    expect(() => databaseLocation(dir, undefined, {})).toThrow(/database-url is empty/);
    expect(() => parseDatabaseUrl('db.mairie.local:5432')).toThrow(/^database URL: /);
    expect(() => parseDatabaseUrl('mysql://u:p@h/db')).toThrow(/expected postgres:\/\//);
    expect(() => parseDatabaseUrl('postgres://u:secret@h:5432')).toThrow(/no database name/);
    expect(() => parseDatabaseUrl('postgres://u:secret@h:5432')).not.toThrow(/secret/);
    expect(displayDatabaseUrl(URL_A)).toBe('postgres://bascule:***@db-a.mairie.local:5432/bascule');
    expect(displayDatabaseUrl('postgres://bascule@db/bascule?password=pw&sslmode=require&sslkey=/k')).toBe(
      'postgres://bascule@db/bascule?password=***&sslmode=require&sslkey=***',
    );
  });
});
