import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresUrl, testServices } from '../test-support.js';
import {
  daysBetween,
  dialectOf,
  isUniqueViolation,
  jsonElements,
  jsonFlag,
  jsonText,
  nullsAsSmallest,
} from './dialect.js';

/*
 * Runs in both spec projects: on SQLite (unit) and on PostgreSQL (hub-pg), the same expressions give the
 * same values. The repositories' specs show it in context; this shows the edges (absent fields, a value
 * that is not an array, a date that is not one, nulls in a sort, 64-bit integers and doubles).
 */
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function database() {
  const s = await testServices();
  open.push(s);
  return s.database.db;
}

describe('SQL dialect helpers', () => {
  it('reads JSON fields and array elements alike, absent and malformed values included', async () => {
    const db = await database();
    const doc = sql.val(JSON.stringify({ os: { name: 'Zorin OS' }, on: true, off: false, macs: ['aa', 'bb'], n: 3 }));
    const r = await sql<Record<string, unknown>>`select ${jsonText(db, doc, 'os.name')} as name,
      ${jsonText(db, doc, 'missing')} as missing, ${jsonFlag(db, doc, 'on')} as "on", ${jsonFlag(db, doc, 'off')} as "off",
      ${jsonFlag(db, doc, 'nothing')} as absent`.execute(db);
    expect(r.rows[0]).toEqual({ name: 'Zorin OS', missing: null, on: 1, off: 0, absent: null });

    const macs = await sql<{
      value: string;
    }>`select m.value from ${jsonElements(db, doc, 'm', { path: 'macs', asText: true })}`.execute(db);
    expect(macs.rows.map((row) => row.value).sort()).toEqual(['aa', 'bb']);
    const notArray = await sql`select m.value from ${jsonElements(db, doc, 'm', { path: 'n' })}`.execute(db);
    expect(notArray.rows).toEqual([]);
    expect(() => jsonText(db, doc, "x') or 1=1 --")).toThrow(/not a JSON key path/);
  });

  it('counts days between ISO timestamps, null for what is not a date', async () => {
    const db = await database();
    const r = await sql<Record<string, number | null>>`select
      ${daysBetween(db, '2026-12-04T12:00:00.000Z', sql.val('2026-12-01T00:00:00Z'))} as whole,
      ${daysBetween(db, '2026-12-04T00:00:00.000Z', sql.val('2026-12-02'))} as date_only,
      ${daysBetween(db, '2026-12-04T00:00:00.000Z', sql.val('Wed Dec  2 08:00:00 2026'))} as not_iso,
      ${daysBetween(db, '2026-12-04T00:00:00.000Z', sql.val('2026-12-01T24:61:00Z'))} as not_a_time,
      ${daysBetween(db, '2026-12-04T00:00:00.000Z', sql.val(null))} as absent`.execute(db);
    expect(r.rows[0]).toEqual({ whole: 3.5, date_only: 2, not_iso: null, not_a_time: null, absent: null });
  });

  it('sorts nulls as the smallest value, and keeps 64-bit integers and doubles', async () => {
    const db = await database();
    await db.schema
      .createTable('dialect_probe')
      .addColumn('k', 'text', (c) => c.primaryKey())
      .addColumn('n', 'integer')
      .addColumn('r', 'real')
      .execute();
    const probe = db.withTables<{ dialect_probe: { k: string; n: number | null; r: number | null } }>();
    await probe
      .insertInto('dialect_probe')
      .values([
        { k: 'big', n: 2 ** 40, r: 0.123456789012 },
        { k: 'none', n: null, r: null },
        { k: 'small', n: -1, r: 1.5 },
      ])
      .execute();
    const asc = await probe.selectFrom('dialect_probe').select('k').orderBy('n', nullsAsSmallest('asc')).execute();
    const desc = await probe.selectFrom('dialect_probe').select('k').orderBy('n', nullsAsSmallest('desc')).execute();
    expect(asc.map((row) => row.k)).toEqual(['none', 'small', 'big']);
    expect(desc.map((row) => row.k)).toEqual(['big', 'small', 'none']);
    const big = await probe.selectFrom('dialect_probe').selectAll().where('k', '=', 'big').executeTakeFirstOrThrow();
    expect(big).toEqual({ k: 'big', n: 2 ** 40, r: 0.123456789012 });
    const count = await probe
      .selectFrom('dialect_probe')
      .select((eb) => eb.fn.countAll<number>().as('c'))
      .executeTakeFirstOrThrow();
    expect(count.c).toBe(3); // a number on both, not PostgreSQL's int8 string

    const duplicate = await probe
      .insertInto('dialect_probe')
      .values({ k: 'big', n: 1, r: 1 })
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(duplicate)).toBe(true);
    expect(isUniqueViolation(new Error('something else'))).toBe(false);
    expect(dialectOf(db)).toBe(postgresUrl() ? 'postgres' : 'sqlite');
  });
});
