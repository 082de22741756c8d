import path from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { BackupRepository } from '../backup/backup.repository.js';
import { systemClock } from '../core/clock.js';
import { migrations } from '../database/migrations/index.js';
import { HUB_VERSION } from '../version.js';
import { resolveDataDir } from './common-options.js';

const backups = () => new BackupRepository(Object.keys(migrations), HUB_VERSION, systemClock);

@Command({
  name: 'backup',
  arguments: '<file>',
  description: 'Save the database and the TLS keys into FILE (tar.gz, mode 0600); safe while the hub runs',
})
export class BackupCommand extends CommandRunner {
  async run([file]: string[], o: { data?: string }): Promise<void> {
    if (!file)
      throw new Error('give the archive to write, e.g. bascule-hub backup /var/backups/bascule-hub/hub.tar.gz');
    const r = await backups().backup(resolveDataDir(o.data), path.resolve(file));
    process.stdout.write(
      `Backup written to ${r.file} (${r.bytes} bytes): database at migration ${r.manifest.migrations.at(-1) ?? 'none'}, ` +
        `TLS files: ${r.manifest.tlsFiles.join(', ') || 'none'}.\nIt holds the CA private key: keep it as secret as the hub itself.\n`,
    );
  }

  @Option({ flags: '--data <dir>', description: 'hub data directory' })
  parseData(v: string) {
    return v;
  }
}

@Command({
  name: 'restore',
  arguments: '<file>',
  description: 'Replace the data directory with a backup (the hub must be stopped; the old data is kept aside)',
})
export class RestoreCommand extends CommandRunner {
  async run([file]: string[], o: { data?: string }): Promise<void> {
    if (!file) throw new Error('give the archive to restore');
    const r = await backups().restore(path.resolve(file), resolveDataDir(o.data));
    process.stdout.write(
      `Restored ${r.dataDir} from a backup of ${r.manifest.createdAt} (hub ${r.manifest.hubVersion}).\n` +
        (r.previous ? `The data it replaced is in ${r.previous} (delete it once the hub runs well).\n` : ''),
    );
  }

  @Option({ flags: '--data <dir>', description: 'hub data directory' })
  parseData(v: string) {
    return v;
  }
}
