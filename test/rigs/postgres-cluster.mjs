// A throwaway PostgreSQL cluster from Debian's postgresql package, for tests and benchmarks: initdb in a
// temporary directory as the `postgres` user (the server refuses to run as root), trust authentication
// on 127.0.0.1 only, on a free port, fsync off (nothing survives the run). Used by the hub-pg spec
// project's global setup (hub/test-pg/), the e2e test of clustered hubs on PostgreSQL and the benchmarks'
// `--store postgres`.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.mjs';

const BIN = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'].find((d) =>
  existsSync(join(d, 'postgres')),
);

/** `pg`, the hub's own dependency (the test workspace has none of its own). */
const pg = createRequire(new URL('../../hub/package.json', import.meta.url))('pg');

/** Runs one statement on its own connection. */
export async function runStatement(url, statement) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function asPostgres(command, args) {
  return process.getuid?.() === 0
    ? { cmd: 'runuser', args: ['-u', 'postgres', '--', command, ...args] }
    : { cmd: command, args };
}

async function waitReady(port, log) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      execFileSync(join(BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not start within 30 s:\n${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Starts the cluster. Returns `adminUrl` (the superuser on the `postgres` database), `urlOf(database)`,
 * `query(statement)` (as the superuser: CREATE DATABASE …) and `stop()`.
 */
export async function startPostgresCluster() {
  if (!BIN) throw new Error('this needs PostgreSQL: apt-get install postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'bascule-pg-'));
  const data = join(dir, 'data');
  mkdirSync(data);
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const initdb = asPostgres(join(BIN, 'initdb'), [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  execFileSync(initdb.cmd, initdb.args, { stdio: 'pipe' });
  const port = await freePort();
  const settings = [
    'listen_addresses=127.0.0.1',
    'fsync=off',
    'synchronous_commit=off',
    'full_page_writes=off',
    'max_connections=300',
  ];
  const server = asPostgres(join(BIN, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    ...settings.flatMap((s) => ['-c', s]),
  ]);
  const proc = spawn(server.cmd, server.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d) => (output += d.toString()));
  proc.stderr.on('data', (d) => (output += d.toString()));
  await waitReady(port, () => output);
  const urlOf = (database) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: urlOf('postgres'),
    urlOf,
    query: (statement) => runStatement(urlOf('postgres'), statement),
    stop: async () => {
      // The postmaster itself (runuser does not pass signals on): SIGINT is PostgreSQL's fast shutdown.
      const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      await new Promise((resolve) => {
        proc.once('exit', () => resolve());
        process.kill(postmaster, 'SIGINT');
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
