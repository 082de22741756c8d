import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../core/settings.js';
import { migrations } from '../database/migrations/index.js';
import { FakeClock, postgresUrl, testServices } from '../test-support.js';
import { BackupError, BackupRepository } from './backup.repository.js';

const KNOWN = Object.keys(migrations);
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-backup-spec-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
};

async function hubData() {
  const services = await testServices();
  cleanup.push(() => fs.rmSync(services.dir, { recursive: true, force: true }));
  cleanup.push(() => services.close());
  const tls = dataPaths(services.dir).tlsDir;
  fs.mkdirSync(tls, { mode: 0o700 });
  for (const f of ['ca.pem', 'ca.key', 'server.pem', 'server.key']) fs.writeFileSync(path.join(tls, f), `${f}\n`);
  return services;
}

const count = (dbFile: string, table: string) => {
  const db = new SqliteDatabase(dbFile, { readonly: true });
  try {
    return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

const repo = (known = KNOWN) => new BackupRepository(known, '0.1.0', new FakeClock());

// The archive holds a SQLite database; a hub on PostgreSQL is refused (last describe), so under the hub-pg
// project only that refusal runs.
const onPostgres = postgresUrl() !== undefined;

describe.skipIf(onPostgres)('BackupRepository', () => {
  it('takes a consistent backup while the hub writes, and restores it with the TLS keys', async () => {
    const services = await hubData();
    const create = () =>
      services.enrolment.createToken({ department: 'Mairie', uses: 1, expiresInMs: 3_600_000, createdBy: 'spec' });
    for (let i = 0; i < 200; i++) await create();
    // Writers keep going during the whole backup (same process, another connection, as a live hub).
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await create();
        written++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const file = path.join(tmp(), 'hub.tar.gz');
    const result = await repo().backup(services.dir, file);
    writing = false;
    await writer;

    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(result.manifest.migrations).toEqual(KNOWN);
    expect(result.manifest.tlsFiles).toEqual(['ca.pem', 'ca.key', 'server.pem', 'server.key']);
    const listing = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' });
    expect(listing).toMatch(/^bascule\.db$/m);
    expect(listing).toMatch(/^tls\/ca\.key$/m);

    const target = path.join(tmp(), 'data');
    const restored = await repo().restore(file, target);
    expect(restored.previous).toBeNull();
    const tokens = count(dataPaths(target).database, 'enrolment_tokens');
    expect(tokens).toBeGreaterThanOrEqual(200);
    expect(tokens).toBeLessThanOrEqual(200 + written);
    expect(fs.readFileSync(path.join(target, 'tls/ca.key'), 'utf8')).toBe('ca.key\n');
    expect(fs.statSync(path.join(target, 'tls/ca.key')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dataPaths(target).database).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(target, 'manifest.json'))).toBe(false);
    // Hundreds of writes and a tar round trip: seconds on a busy 2-core machine.
  }, 30_000);

  it('keeps the replaced data directory aside', async () => {
    const services = await hubData();
    const file = path.join(tmp(), 'hub.tar.gz');
    await repo().backup(services.dir, file);
    const target = path.join(tmp(), 'data');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'bascule.db'), 'old');
    const { previous } = await repo().restore(file, target);
    expect(previous).toMatch(/data\.before-restore-/);
    expect(fs.readFileSync(path.join(previous as string, 'bascule.db'), 'utf8')).toBe('old');
    expect(count(dataPaths(target).database, 'users')).toBe(0);
    // No staging directory is left next to it.
    expect(fs.readdirSync(path.dirname(target)).filter((f) => f.includes('restore-') && f.startsWith('.'))).toEqual([]);
  });

  it('refuses to restore while the hub recorded in hub.json is alive', async () => {
    const services = await hubData();
    const file = path.join(tmp(), 'hub.tar.gz');
    await repo().backup(services.dir, file);
    fs.writeFileSync(dataPaths(services.dir).runtime, JSON.stringify({ pid: process.pid }));
    await expect(repo().restore(file, services.dir)).rejects.toThrow(
      new RegExp(`a hub is running on .* \\(pid ${process.pid}`),
    );
    // A hub that stopped leaves hub.json behind: a dead pid does not block.
    const dead = execFileSync('sh', ['-c', 'sh -c "echo \\$\\$"'], { encoding: 'utf8' }).trim();
    fs.writeFileSync(dataPaths(services.dir).runtime, JSON.stringify({ pid: Number(dead) }));
    await services.close();
    await expect(repo().restore(file, services.dir)).resolves.toMatchObject({ dataDir: services.dir });
  });

  it('refuses a file that is not a backup, with a message that says so', async () => {
    const dir = tmp();
    const garbage = path.join(dir, 'garbage.tar.gz');
    fs.writeFileSync(garbage, 'this is not an archive');
    const target = path.join(dir, 'data');
    await expect(repo().restore(garbage, target)).rejects.toThrow(/is not a readable bascule-hub backup/);
    await expect(repo().restore(path.join(dir, 'missing.tar.gz'), target)).rejects.toThrow(/no such file/);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('refuses a damaged database and a database from a newer hub, leaving the data untouched', async () => {
    const services = await hubData();
    const file = path.join(tmp(), 'hub.tar.gz');
    await repo().backup(services.dir, file);

    // Same archive, database overwritten in its middle.
    const work = tmp();
    execFileSync('tar', ['-xzf', file, '-C', work]);
    const db = path.join(work, 'bascule.db');
    const size = fs.statSync(db).size;
    const fd = fs.openSync(db, 'r+');
    fs.writeSync(fd, Buffer.alloc(size - 8192, 0xa5), 0, size - 8192, 4096);
    fs.closeSync(fd);
    const corrupt = path.join(work, 'corrupt.tar.gz');
    execFileSync('tar', ['-czf', corrupt, '-C', work, 'manifest.json', 'bascule.db', 'tls']);
    const target = path.join(tmp(), 'data');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'keep'), 'me');
    const err = await repo()
      .restore(corrupt, target)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackupError);
    expect((err as Error).message).toMatch(/the database is damaged/);
    expect(fs.readdirSync(target)).toEqual(['keep']);

    await expect(repo(KNOWN.slice(0, -1)).restore(file, target)).rejects.toThrow(/comes from a newer hub/);
    expect(fs.readdirSync(target)).toEqual(['keep']);
  });

  it('refuses an archive with entries outside its layout', async () => {
    const work = tmp();
    fs.writeFileSync(path.join(work, 'evil'), 'x');
    const file = path.join(work, 'evil.tar.gz');
    execFileSync('tar', ['-czf', file, '-C', work, 'evil']);
    await expect(repo().restore(file, path.join(work, 'data'))).rejects.toThrow(/unexpected evil/);
  });
});

describe('BackupRepository with a hub on PostgreSQL', () => {
  it('refuses to back up or restore, saying what to use instead, and never shows the password', async () => {
    const data = tmp();
    fs.writeFileSync(path.join(data, 'database-url'), 'postgres://bascule:s3cret-pw@db.mairie.local:5432/bascule\n');
    const out = path.join(tmp(), 'hub.tar.gz');
    const refusal =
      /PostgreSQL \(postgres:\/\/bascule:\*\*\*@db\.mairie\.local:5432\/bascule\): back it up with pg_dump/;
    await expect(repo().backup(data, out)).rejects.toThrow(refusal);
    await expect(repo().backup(data, out)).rejects.not.toThrow(/s3cret/);
    await expect(repo().restore(out, data)).rejects.toThrow(/restore it with pg_dump\/pg_restore/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
