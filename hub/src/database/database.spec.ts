import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { runStatement } from '../../../test/rigs/postgres-cluster.mjs';
import { postgresUrl, testServices } from '../test-support.js';

const open: { close(): Promise<void> }[] = [];

const selectOne = (s: Awaited<ReturnType<typeof testServices>>) =>
  sql<{ n: number }>`select 1 as n`
    .execute(s.database.db)
    .then((r) => r.rows)
    .catch((err: Error) => err.message);
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

/*
 * PostgreSQL only (the hub-pg project): the server ends the hub's connections — a restart, a failover,
 * an administrator's pg_terminate_backend — while a query runs and while connections sit idle. The query
 * in flight fails with the server's reason, the process does not (an unheard 'error' event would end it,
 * and vitest would report it), a connection failing while checked out is logged, and the next query works
 * on a new connection.
 */
describe.runIf(postgresUrl())('the hub on PostgreSQL when the server drops its connections', () => {
  it('fails the query in flight with the reason, logs it, and goes on with a new connection', async () => {
    const s = await testServices();
    open.push(s);
    const url = fs.readFileSync(path.join(s.dir, 'database-url'), 'utf8').trim();
    const database = new URL(url).pathname.slice(1);
    const running = sql`select pg_sleep(30)`.execute(s.database.db);
    const outcome = running.then(
      () => 'finished',
      (err: Error) => err.message,
    );
    // Once the server runs it (a loaded machine may take a while to get there).
    await expect
      .poll(
        async () =>
          (
            await sql<{ n: number }>`select count(*) as n from pg_stat_activity
              where datname = current_database() and query like 'select pg_sleep%' and state = 'active'`.execute(
              s.database.db,
            )
          ).rows[0]?.n,
        { timeout: 10_000 },
      )
      .toBe(1);
    await runStatement(
      postgresUrl() as string,
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${database}'`,
    );
    expect(await outcome).toMatch(/terminat/i);
    // An idle connection ended with the others may be handed out before its end is heard: that one query
    // fails, as after any server restart; the next ones run on new connections.
    await expect.poll(() => selectOne(s), { timeout: 10_000 }).toEqual([{ n: 1 }]);
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
    // An idle connection ended with the others may be handed out before its end is heard: that one query
    // fails, as after any server restart; the next ones run on new connections.
    await expect.poll(() => selectOne(s), { timeout: 10_000 }).toEqual([{ n: 1 }]);
  });
});
