import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createIdGenerator, encodePayload } from '@bascule/protocol';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runStatement } from '../../../test/rigs/postgres-cluster.mjs';
import { MoveToPostgresCommand } from '../cli/move-to-postgres.command.js';
import { Logger } from '../core/logger.js';
import { type HubServices, openHubServices } from '../services.js';
import { enrolTestDevice, FakeClock, postgresUrl, healthSample as sample } from '../test-support.js';
import { openDatabase } from './database.js';
import { DATABASE_URL_FILE } from './database-location.js';
import { copySqliteToPostgres, parentsFirst } from './sqlite-to-postgres.js';

const ids = createIdGenerator();
const quiet = () => new Logger(() => undefined, 'error');

describe('parentsFirst', () => {
  const t = (name: string, ...parents: string[]) => ({ name, parents: new Set(parents) });

  it('puts every table after the tables it references, itself aside', () => {
    const order = parentsFirst([t('a_members', 'b_groups', 'devices'), t('b_groups'), t('devices'), t('dept', 'dept')]);
    const at = (name: string) => order.findIndex((x) => x.name === name);
    expect(at('a_members')).toBeGreaterThan(at('b_groups'));
    expect(at('a_members')).toBeGreaterThan(at('devices'));
    expect(order).toHaveLength(4);
  });

  it('refuses a cycle with its path', () => {
    expect(() => parentsFirst([t('a', 'b'), t('b', 'a')])).toThrow(/cycle: a → b → a/);
  });
});

/** A SQLite hub's data directory with devices, health messages, audit entries and a department tree. */
async function sqliteHub(): Promise<{ dir: string; services: HubServices; devices: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-move-'));
  const services = await openHubServices(dir, new FakeClock(), quiet());
  const devices: string[] = [];
  for (const hostname of ['pc-accueil-1', 'pc-état-civil-2', 'pc-compta-3']) {
    devices.push(await enrolTestDevice(services, { hostname }, 'Mairie annexe'));
  }
  // 1,500 health samples: more than one page of the copy.
  for (let m = 0; m < 300; m++) {
    const samples = Array.from({ length: 5 }, (_, i) =>
      sample(new Date(Date.UTC(2026, 10, 25, 10, 0, m * 5 + i)).toISOString()),
    );
    const msg = { v: 1, id: ids(), ts: new Date().toISOString(), samples };
    await services.ingest.ingest(devices[m % 3] as string, 'health', encodePayload(msg));
  }
  for (let i = 0; i < 5; i++) {
    await services.audit.record({
      ts: `2026-11-25T10:0${i}:00Z`,
      actor: 'chloé',
      action: 'device.rename',
      detail: { i },
    });
  }
  // A department whose parent was created after it: rowid order is not parent order.
  const db = services.database.db;
  const dept = (id: string, name: string) => ({
    id,
    name,
    name_key: name.toLowerCase(),
    created_at: '2026-11-25T10:00:00Z',
  });
  await db
    .insertInto('registry_departments')
    .values([dept('d-child', 'Écoles'), dept('d-parent', 'Éducation')])
    .execute();
  await db.updateTable('registry_departments').set({ parent_id: 'd-parent' }).where('id', '=', 'd-child').execute();
  return { dir, services, devices };
}

/** Every table's row count, by name (the hub's tables, not Kysely's). */
async function counts(services: HubServices): Promise<Record<string, number>> {
  const db = services.database.db;
  const names =
    services.database.engine === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows.map(
          (r) => r.name,
        )
      : (
          await sql<{ name: string }>`select table_name as name from information_schema.tables
            where table_schema = current_schema()`.execute(db)
        ).rows.map((r) => r.name);
  const result: Record<string, number> = {};
  for (const name of names.filter((n) => !n.startsWith('sqlite_') && !n.startsWith('kysely_')).sort()) {
    const [row] = (await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(db)).rows;
    result[name] = Number(row?.n);
  }
  return result;
}

const adminUrl = postgresUrl();
let databases = 0;
async function emptyPostgres(): Promise<string> {
  const name = `bascule_move_${process.pid}_${++databases}`;
  await runStatement(adminUrl as string, `create database ${name}`);
  // The test cluster trusts 127.0.0.1; the password is there to show that it never reaches the output.
  return Object.assign(new URL(adminUrl as string), { pathname: `/${name}`, password: 'Mot-de-passe-2026' }).toString();
}

const move = (dir: string, databaseUrl: string) => new MoveToPostgresCommand().run([], { data: dir, databaseUrl });

// Needs a PostgreSQL server: the hub-pg project's (it runs every hub spec); skipped under `unit`.
describe.skipIf(!adminUrl)('bascule-hub move-to-postgres', () => {
  const open: HubServices[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const s of open.splice(0)) await s.close();
  });

  it('copies every row, then the hub opens PostgreSQL with the same data and goes on writing', async () => {
    const { dir, services, devices } = await sqliteHub();
    const before = await counts(services);
    const deviceRows = await services.database.db.selectFrom('devices').selectAll().orderBy('id').execute();
    await services.close();
    const url = await emptyPostgres();
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);

    await move(dir, url);

    const urlFile = path.join(dir, DATABASE_URL_FILE);
    expect(fs.readFileSync(urlFile, 'utf8').trim()).toBe(url);
    expect(fs.statSync(urlFile).mode & 0o777).toBe(0o600);
    expect(out.join('')).toContain('health_samples: 1,500 row(s)');
    expect(out.join('')).not.toContain('Mot-de-passe-2026');
    expect(out.join('')).toContain(':***@');

    const moved = await openHubServices(dir, new FakeClock(), quiet()); // reads DATA/database-url
    open.push(moved);
    expect(moved.database.engine).toBe('postgres');
    expect(await counts(moved)).toEqual(before);
    expect(before.health_samples).toBe(1500);
    expect(await moved.database.db.selectFrom('devices').selectAll().orderBy('id').execute()).toEqual(deviceRows);
    const child = await moved.database.db
      .selectFrom('registry_departments')
      .select(['name', 'parent_id'])
      .where('id', '=', 'd-child')
      .executeTakeFirstOrThrow();
    expect(child).toEqual({ name: 'Écoles', parent_id: 'd-parent' });
    // The id sequence went past the copied audit entries: a new one does not collide.
    await moved.audit.record({ ts: '2026-11-26T08:00:00Z', actor: 'admin', action: 'auth.login' });
    const auditIds = (await moved.database.db.selectFrom('audit_log').select('id').orderBy('id').execute()).map(
      (r) => r.id,
    );
    expect(new Set(auditIds).size).toBe(auditIds.length);
    expect(auditIds.at(-1)).toBeGreaterThan(auditIds.at(-2) as number);
    // The device goes on reporting, now into PostgreSQL.
    const msg = { v: 1, id: ids(), ts: new Date().toISOString(), samples: [sample('2026-11-26T08:00:00Z')] };
    expect(await moved.ingest.ingest(devices[0] as string, 'health', encodePayload(msg))).toBe('stored');

    await expect(move(dir, url)).rejects.toThrow(/already uses PostgreSQL/);
  });

  it('refuses a database that holds data, and a running hub, and writes nothing', async () => {
    const first = await sqliteHub();
    await first.services.close();
    const url = await emptyPostgres();
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await move(first.dir, url);

    const second = await sqliteHub();
    await second.services.close();
    await expect(move(second.dir, url)).rejects.toThrow(/is not empty \(table \w+ has rows\)/);
    expect(fs.existsSync(path.join(second.dir, DATABASE_URL_FILE))).toBe(false);

    fs.writeFileSync(path.join(second.dir, 'hub.json'), JSON.stringify({ pid: process.pid }));
    await expect(move(second.dir, await emptyPostgres())).rejects.toThrow(/a hub is running .* stop it first/);
    await expect(move(second.dir, 'mysql://x/y')).rejects.toThrow(/a hub is running/);
    fs.rmSync(path.join(second.dir, 'hub.json'));
    await expect(move(second.dir, 'mysql://x/y')).rejects.toThrow(/expected postgres:\/\//);
  });

  it('inserts a department after its parent even when they are rows apart (one row per INSERT here)', async () => {
    const { dir, services } = await sqliteHub();
    await services.close();
    const source = await openDatabase({ engine: 'sqlite', file: path.join(dir, 'bascule.db') }, quiet());
    const target = await openDatabase({ engine: 'postgres', url: await emptyPostgres() }, quiet());
    try {
      const report = await copySqliteToPostgres(source.db, target.db, undefined, 1);
      expect(report.tables.find((t) => t.table === 'registry_departments')?.rows).toBe(2);
      const child = await target.db
        .selectFrom('registry_departments')
        .select('parent_id')
        .where('id', '=', 'd-child')
        .executeTakeFirstOrThrow();
      expect(child.parent_id).toBe('d-parent');
    } finally {
      await source.close();
      await target.close();
    }
  });

  it('rolls the whole copy back when a row does not fit PostgreSQL, and names the table', async () => {
    const { dir, services } = await sqliteHub();
    // SQLite keeps a text that is not a number in an integer column; PostgreSQL's bigint does not.
    await sql`update health_samples set idx = 'beaucoup' where rowid = 1200`.execute(services.database.db);
    await services.close();
    const url = await emptyPostgres();
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);

    await expect(move(dir, url)).rejects.toThrow(/table health_samples, the 500 rows up to rowid 1500: .*bigint/);
    expect(fs.existsSync(path.join(dir, DATABASE_URL_FILE))).toBe(false);
    const target = await openHubServices(
      dir,
      new FakeClock(),
      quiet(),
      undefined,
      undefined,
      undefined,
      undefined,
      url,
    );
    open.push(target);
    expect(Object.values(await counts(target)).every((n) => n === 0)).toBe(true);
  });
});
