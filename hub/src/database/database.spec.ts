import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { runStatement } from '../../../test/rigs/postgres-cluster.mjs';
import { postgresUrl, testServices } from '../test-support.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

/*
 * PostgreSQL only (the hub-pg project): the server ends the hub's connections — a restart, a failover,
 * an administrator's pg_terminate_backend — while a query runs and while connections sit idle. The query
 * in flight fails with the server's reason, the process does not (an unheard 'error' event would end it,
 * and vitest would report it), it is logged, and the next query works on a new connection.
 */
describe.runIf(postgresUrl())('the hub on PostgreSQL when the server drops its connections', () => {
  it('fails the query in flight with the reason, logs it, and goes on with a new connection', async () => {
    const s = await testServices();
    open.push(s);
    const url = fs.readFileSync(path.join(s.dir, 'database-url'), 'utf8').trim();
    const database = new URL(url).pathname.slice(1);
    await sql`select 1`.execute(s.database.db); // one idle connection in the pool
    const running = sql`select pg_sleep(30)`.execute(s.database.db);
    const outcome = running.then(
      () => 'finished',
      (err: Error) => err.message,
    );
    await new Promise((r) => setTimeout(r, 300));
    await runStatement(
      postgresUrl() as string,
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${database}'`,
    );
    expect(await outcome).toMatch(/terminat/i);
    const after = await sql<{ n: number }>`select 1 as n`.execute(s.database.db);
    expect(after.rows).toEqual([{ n: 1 }]);
    await new Promise((r) => setTimeout(r, 100));
    expect(s.lines.some((l) => l.includes('PostgreSQL connection'))).toBe(true);
  });

  it('survives a connection ended between two statements of a transaction: the transaction fails, not the hub', async () => {
    const s = await testServices();
    open.push(s);
    const database = new URL(fs.readFileSync(path.join(s.dir, 'database-url'), 'utf8').trim()).pathname.slice(1);
    const outcome = s.database.db
      .transaction()
      .execute(async (tx) => {
        await sql`select 1`.execute(tx);
        // Checked out of the pool, no query running: only a listener on the connection itself hears this.
        await runStatement(
          postgresUrl() as string,
          `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${database}'`,
        );
        await new Promise((r) => setTimeout(r, 300));
        await sql`select 2`.execute(tx);
      })
      .then(
        () => 'committed',
        (err: Error) => err.message,
      );
    expect(await outcome).not.toBe('committed');
    expect(s.lines.some((l) => l.includes('a PostgreSQL connection in use failed'))).toBe(true);
    const after = await sql<{ n: number }>`select 1 as n`.execute(s.database.db);
    expect(after.rows).toEqual([{ n: 1 }]);
  });
});
