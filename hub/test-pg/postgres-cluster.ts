import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/*
 * A throwaway PostgreSQL cluster from Debian's postgresql package, for tests: initdb in a temporary
 * directory as the `postgres` user (the server refuses to run as root), trust authentication on
 * 127.0.0.1 only, on a free port, fsync off (nothing survives the run). Used by the hub-pg spec
 * project's global setup and by the e2e test of hubs on PostgreSQL.
 */

/** Runs one statement on its own connection. */
export async function runStatement(url: string, statement: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface PostgresCluster {
  /** The superuser's URL to the `postgres` database. */
  adminUrl: string;
  /** A URL to another database of the cluster. */
  urlOf(database: string): string;
  /** Runs one statement as the superuser (CREATE DATABASE …). */
  query(statement: string): Promise<void>;
  stop(): Promise<void>;
}

const BIN = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'].find((d) =>
  fs.existsSync(path.join(d, 'postgres')),
);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function asPostgres(command: string, args: string[]) {
  return process.getuid?.() === 0
    ? { cmd: 'runuser', args: ['-u', 'postgres', '--', command, ...args] }
    : { cmd: command, args };
}

async function waitReady(port: number, log: () => string): Promise<void> {
  const bin = BIN as string;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      execFileSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not start within 30 s:\n${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  if (!BIN) throw new Error('these tests need PostgreSQL: apt-get install postgresql');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-pg-'));
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const initdb = asPostgres(path.join(BIN, 'initdb'), [
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
  const server = asPostgres(path.join(BIN, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=300',
  ]);
  const proc = spawn(server.cmd, server.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
  await waitReady(port, () => output);
  const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: urlOf('postgres'),
    urlOf,
    query: (statement) => runStatement(urlOf('postgres'), statement),
    stop: async () => {
      // The postmaster itself (runuser does not pass signals on): SIGINT is PostgreSQL's fast shutdown.
      const postmaster = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        process.kill(postmaster, 'SIGINT');
      });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
