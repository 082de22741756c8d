import fs from 'node:fs';
import path from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { runningHubPid } from '../core/running-hub.js';
import { type OpenedDatabase, openDatabase } from '../database/database.js';
import { DATABASE_URL_FILE, displayDatabaseUrl, parseDatabaseUrl } from '../database/database-location.js';
import { copySqliteToPostgres } from '../database/sqlite-to-postgres.js';
import { resolveDataDir } from './common-options.js';
import { stderrLogger } from './token.command.js';

interface MoveOptions {
  data?: string;
  databaseUrl?: string;
}

@Command({
  name: 'move-to-postgres',
  description:
    "Copy this hub's SQLite database into an empty PostgreSQL database and make the hub use it (the hub must be stopped)",
})
export class MoveToPostgresCommand extends CommandRunner {
  async run(_args: string[], o: MoveOptions): Promise<void> {
    const dataDir = resolveDataDir(o.data);
    const urlFile = path.join(dataDir, DATABASE_URL_FILE);
    const sqliteFile = path.join(dataDir, 'bascule.db');
    if (fs.existsSync(urlFile)) throw new Error(`${urlFile} exists: this hub already uses PostgreSQL`);
    if (!fs.existsSync(sqliteFile))
      throw new Error(`${sqliteFile}: no such file (is --data the hub's data directory?)`);
    const pid = runningHubPid(dataDir);
    if (pid !== null) {
      throw new Error(`a hub is running on ${dataDir} (pid ${pid}): stop it first (systemctl stop bascule-hub)`);
    }
    const raw = o.databaseUrl ?? (process.env.BASCULE_DATABASE_URL || undefined);
    if (!raw) {
      throw new Error(
        'give the PostgreSQL database: BASCULE_DATABASE_URL=postgres://bascule:PASSWORD@host:5432/bascule (or --database-url, which shows the password in ps)',
      );
    }
    const url = parseDatabaseUrl(raw);
    const logger = stderrLogger();
    const opened: OpenedDatabase[] = [];
    try {
      const source = await openDatabase({ engine: 'sqlite', file: sqliteFile }, logger);
      opened.push(source);
      const target = await openDatabase({ engine: 'postgres', url }, logger);
      opened.push(target);
      process.stdout.write(`Copying ${sqliteFile} into ${displayDatabaseUrl(url)}, in one transaction:\n`);
      const started = performance.now();
      const report = await copySqliteToPostgres(source.db, target.db, ({ table, rows }) =>
        process.stdout.write(`  ${table}: ${rows.toLocaleString('en-US')} row(s)\n`),
      );
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      // Written last: until the copy is committed, the hub still starts on SQLite.
      const tmp = `${urlFile}.tmp`;
      fs.writeFileSync(tmp, `${url}\n`, { mode: 0o600 });
      fs.renameSync(tmp, urlFile);
      process.stdout.write(
        `${report.rows.toLocaleString('en-US')} rows in ${report.tables.length} tables copied in ${seconds} s; ` +
          `row counts checked, ${report.sequences.length} id sequence(s) moved past the copied ids.\n` +
          `${urlFile} now names the PostgreSQL database: the hub uses it from its next start ` +
          '(systemctl start bascule-hub).\n' +
          `${sqliteFile} is left as it was and no longer used: keep it until the hub runs well on PostgreSQL, ` +
          `then delete it. To go back, stop the hub and delete ${urlFile} (what was written on PostgreSQL meanwhile stays there).\n`,
      );
    } finally {
      for (const d of opened.reverse()) await d.close();
    }
  }

  @Option({ flags: '--data <dir>', description: 'hub data directory' })
  parseData(v: string) {
    return v;
  }

  @Option({
    flags: '--database-url <url>',
    description: 'the empty PostgreSQL database (else BASCULE_DATABASE_URL, which keeps the password out of ps)',
  })
  parseDatabaseUrl(v: string) {
    return v;
  }
}
