import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import { runningHubPid } from '../core/running-hub.js';
import { dataPaths } from '../core/settings.js';
import { databaseLocation, displayDatabaseUrl } from '../database/database-location.js';

const run = promisify(execFile);

/** Version of the archive layout, written in its manifest.json. */
export const BACKUP_FORMAT = 1;
const TLS_FILES = ['ca.pem', 'ca.key', 'server.pem', 'server.key'];
const DB_FILE = 'bascule.db';
/** Everything an archive may hold; anything else (absolute paths, `..`) is refused before extraction. */
const ALLOWED_ENTRIES = new Set(['manifest.json', DB_FILE, 'tls', ...TLS_FILES.map((f) => `tls/${f}`)]);

export interface BackupManifest {
  format: number;
  hubVersion: string;
  createdAt: string;
  /** Migrations applied to the saved database, as Kysely names them. */
  migrations: string[];
  tlsFiles: string[];
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
}

export interface RestoreResult {
  dataDir: string;
  /** Where the data directory that was replaced now lives (null when there was none). */
  previous: string | null;
  manifest: BackupManifest;
}

/** A refusal a person can act on (running hub, unreadable or foreign archive, newer schema). */
export class BackupError extends Error {}

/**
 * A hub on PostgreSQL has its database on another server, backed up by that server's own tools: this
 * archive (SQLite's online backup) would leave it out, so it is refused rather than half done.
 */
function refusePostgres(dataDir: string, what: 'backup' | 'restore'): void {
  const location = databaseLocation(dataDir);
  if (location.engine !== 'postgres') return;
  throw new BackupError(
    `this hub keeps its database in PostgreSQL (${displayDatabaseUrl(location.url)}): ` +
      `${what === 'backup' ? 'back it up' : 'restore it'} with ` +
      `pg_dump/pg_restore, and copy ${dataDir}/tls, ${dataDir}/secrets and ${dataDir}/metrics-token with it ` +
      `(docs/deployment.md); ` +
      `bascule-hub ${what} handles SQLite hubs`,
  );
}

/**
 * Backup and restore of a hub data directory: the SQLite database through SQLite's online backup
 * API (consistent while the hub writes), and the private CA and server certificate in DATA/tls.
 * The archive is a tar.gz (manifest.json, bascule.db, tls/), mode 0600; `tar` does the packing.
 */
export class BackupRepository {
  constructor(
    private readonly knownMigrations: readonly string[],
    private readonly hubVersion: string,
    private readonly clock: Clock,
  ) {}

  async backup(dataDir: string, file: string): Promise<BackupResult> {
    refusePostgres(dataDir, 'backup');
    const paths = dataPaths(dataDir);
    if (!fs.existsSync(paths.database)) throw new BackupError(`no hub database in ${dataDir} (${paths.database})`);
    const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-backup-'));
    const partial = `${file}.partial`;
    try {
      // Its own connection: the running hub may be another process. SQLite's backup restarts when another
      // connection writes between two of its steps, so with the default 100 pages a step a busy hub
      // (health samples every second) kept it restarting forever once the database passed 100 pages.
      // One step for all pages reads one consistent snapshot (WAL: the hub's writers are not blocked).
      const source = new SqliteDatabase(paths.database, { fileMustExist: true });
      try {
        source.pragma('busy_timeout = 5000');
        await source.backup(path.join(staging, DB_FILE), { progress: () => 0x7fffffff });
      } finally {
        source.close();
      }
      const migrations = this.migrationsOf(path.join(staging, DB_FILE));
      const tlsFiles = TLS_FILES.filter((f) => fs.existsSync(path.join(paths.tlsDir, f)));
      if (tlsFiles.length > 0) fs.mkdirSync(path.join(staging, 'tls'), { mode: 0o700 });
      for (const f of tlsFiles) {
        fs.copyFileSync(path.join(paths.tlsDir, f), path.join(staging, 'tls', f));
        fs.chmodSync(path.join(staging, 'tls', f), 0o600);
      }
      const manifest: BackupManifest = {
        format: BACKUP_FORMAT,
        hubVersion: this.hubVersion,
        createdAt: this.clock.now().toISOString(),
        migrations,
        tlsFiles,
      };
      fs.writeFileSync(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
      // Created 0600 before tar writes into it, so the secrets are never readable by others.
      fs.writeFileSync(partial, '', { mode: 0o600 });
      fs.chmodSync(partial, 0o600);
      const entries = ['manifest.json', DB_FILE, ...(tlsFiles.length > 0 ? ['tls'] : [])];
      await run('tar', ['-czf', partial, '-C', staging, ...entries]);
      fs.renameSync(partial, file);
      return { file, bytes: fs.statSync(file).size, manifest };
    } catch (err) {
      fs.rmSync(partial, { force: true });
      throw err;
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }

  /**
   * Replaces `dataDir` with the archive's content: extracted and checked next to it, then swapped in
   * with two renames; the replaced directory is kept as `DATA.before-restore-<time>`.
   */
  async restore(file: string, dataDir: string): Promise<RestoreResult> {
    refusePostgres(dataDir, 'restore');
    const pid = this.runningHubPid(dataDir);
    if (pid !== null) {
      throw new BackupError(
        `a hub is running on ${dataDir} (pid ${pid}, from hub.json): stop it first (systemctl stop bascule-hub)`,
      );
    }
    if (!fs.existsSync(file)) throw new BackupError(`${file}: no such file`);
    const parent = path.dirname(dataDir);
    fs.mkdirSync(parent, { recursive: true });
    const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(dataDir)}.restore-`));
    try {
      await this.extract(file, staging);
      const manifest = this.readManifest(file, staging);
      const db = path.join(staging, DB_FILE);
      if (!fs.existsSync(db)) throw new BackupError(`${file} holds no ${DB_FILE}: not a bascule-hub backup`);
      this.checkDatabase(file, db);
      fs.chmodSync(staging, 0o700);
      fs.rmSync(path.join(staging, 'manifest.json'));
      for (const entry of fs.readdirSync(staging, { recursive: true, withFileTypes: true })) {
        fs.chmodSync(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o700 : 0o600);
      }
      let previous: string | null = null;
      if (fs.existsSync(dataDir)) {
        const stamp = this.clock.now().toISOString().replace(/[:.]/g, '-');
        previous = `${dataDir}.before-restore-${stamp}`;
        fs.renameSync(dataDir, previous);
      }
      try {
        fs.renameSync(staging, dataDir);
      } catch (err) {
        if (previous) fs.renameSync(previous, dataDir);
        throw err;
      }
      return { dataDir, previous, manifest };
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }

  /** The pid in DATA/hub.json when that process is alive, else null (a hub that stopped leaves the file). */
  runningHubPid(dataDir: string): number | null {
    try {
      return runningHubPid(dataDir);
    } catch (err) {
      throw new BackupError((err as Error).message);
    }
  }

  private async extract(file: string, into: string): Promise<void> {
    let listing: string;
    try {
      listing = (await run('tar', ['-tzf', file], { maxBuffer: 1024 * 1024 })).stdout;
    } catch (err) {
      const why = ((err as { stderr?: string }).stderr ?? '').trim().split('\n')[0] || (err as Error).message;
      throw new BackupError(`${file} is not a readable bascule-hub backup (tar.gz expected: ${why})`);
    }
    const entries = listing.split('\n').filter(Boolean);
    const stray = entries.map((e) => e.replace(/^\.\//, '').replace(/\/$/, '')).filter((e) => !ALLOWED_ENTRIES.has(e));
    if (stray.length > 0) throw new BackupError(`${file} is not a bascule-hub backup (unexpected ${stray[0]})`);
    try {
      await run('tar', ['-xzf', file, '-C', into, '--no-same-owner', '--no-same-permissions']);
    } catch (err) {
      const why = ((err as { stderr?: string }).stderr ?? '').trim().split('\n')[0] || (err as Error).message;
      throw new BackupError(`${file} is damaged: ${why}`);
    }
  }

  private readManifest(file: string, staging: string): BackupManifest {
    let manifest: BackupManifest;
    try {
      manifest = JSON.parse(fs.readFileSync(path.join(staging, 'manifest.json'), 'utf8')) as BackupManifest;
    } catch {
      throw new BackupError(`${file} has no readable manifest.json: not a bascule-hub backup`);
    }
    if (manifest.format !== BACKUP_FORMAT) {
      throw new BackupError(`${file} is in backup format ${manifest.format}; this hub reads format ${BACKUP_FORMAT}`);
    }
    return manifest;
  }

  private checkDatabase(file: string, dbFile: string): void {
    let result: string;
    let migrations: string[];
    try {
      const db = new SqliteDatabase(dbFile, { fileMustExist: true });
      try {
        result = (db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[])
          .map((r) => r.integrity_check)
          .join('; ');
      } finally {
        db.close();
      }
      migrations = this.migrationsOf(dbFile);
    } catch (err) {
      throw new BackupError(`${file}: the database is damaged (${(err as Error).message})`);
    }
    if (result !== 'ok') throw new BackupError(`${file}: the database is damaged (integrity_check: ${result})`);
    const unknown = migrations.filter((m) => !this.knownMigrations.includes(m));
    if (unknown.length > 0) {
      throw new BackupError(
        `${file} comes from a newer hub (unknown database migration ${unknown[0]}): restore it with that version or later`,
      );
    }
  }

  private migrationsOf(dbFile: string): string[] {
    const db = new SqliteDatabase(dbFile, { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare('select name from kysely_migration order by name').all() as { name: string }[];
      return rows.map((r) => r.name);
    } finally {
      db.close();
    }
  }
}
