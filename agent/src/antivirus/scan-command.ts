import type { ClamavPaths } from './clamav-paths.js';

export type ScanEngine = 'clamscan' | 'clamdscan';

export interface ScanCommandInput {
  engine: ScanEngine;
  paths: readonly string[];
  exclusions: readonly string[];
  maxFileSizeMiB: number;
  lowPriority: boolean;
  clamav: ClamavPaths;
}

/**
 * The argv of a scan. clamscan: `-r`, the database directory, one `--exclude` per pattern and
 * `--max-filesize` (and `--max-scansize`, which would otherwise stop at 400 MiB). clamdscan: clamd's
 * own configuration holds its limits and knows no `--exclude`, so exclusions are applied to its answers
 * (see AntivirusScanner); `-m` scans with clamd's threads, `--fdpass` lets a clamd running as the
 * clamav user read files only root can. Low priority wraps it in `nice -n 19 ionice -c 3` (idle I/O).
 */
export function scanCommand(input: ScanCommandInput): { bin: string; args: string[] } {
  const scan =
    input.engine === 'clamdscan'
      ? ['clamdscan', '-c', input.clamav.clamdConf, '--no-summary', '-m', '--fdpass', '--', ...input.paths]
      : [
          'clamscan',
          '-r',
          '--no-summary',
          `--database=${input.clamav.databaseDir}`,
          `--max-filesize=${input.maxFileSizeMiB}M`,
          `--max-scansize=${input.maxFileSizeMiB}M`,
          ...input.exclusions.map((e) => `--exclude=${e}`),
          '--',
          ...input.paths,
        ];
  const argv = input.lowPriority ? ['nice', '-n', '19', 'ionice', '-c', '3', ...scan] : scan;
  return { bin: argv[0] as string, args: argv.slice(1) };
}
