import { parseArgs } from 'node:util';
import { createIdGenerator } from '@bascule/protocol/runtime';
import {
  ANTIVIRUS_POLICY_FILE,
  type AntivirusPolicy,
  DEFAULT_ANTIVIRUS_POLICY,
  parseAntivirusPolicy,
} from '../antivirus/antivirus-policy.js';
import { AntivirusScanner, type ScanFinished, type ScanTrigger } from '../antivirus/antivirus-scanner.js';
import { CLAMAV_PATH_OPTIONS, clamavPathsFrom, databaseSignatureVersion } from '../antivirus/clamav-paths.js';
import { SpoolDeviceEvents } from '../events/event-spool.js';
import { createJsonLogger } from '../logging/logger.js';
import { DEFAULT_STATE_DIR } from '../settings/agent-settings.js';
import { clamdAnswers } from '../system/clamd-probe.js';
import { systemClock } from '../system/clock.js';
import { SpawnLineProcessRunner } from '../system/line-process.js';
import { QuarantineStore } from '../system/quarantine-store.js';
import { StateDirectory } from '../system/state-directory.js';
import { StateDirectoryFile } from '../system/state-file.js';

const USAGE =
  'usage: bascule-agent antivirus scan [--trigger before-vpn|on-demand] [--state DIR] [--clamd-conf F] [--clamd-socket S]' +
  ' [--clamav-db-dir D] [PATH...]';
const TRIGGERS: readonly ScanTrigger[] = ['before-vpn', 'on-demand'];

/**
 * `bascule-agent antivirus scan`: one scan now, in this process, with the policy's options
 * (`config/antivirus.json`: exclusions, quarantine or report, priority). Run by the NetworkManager
 * script of `scanBeforeVpn`, which waits for it. Its events go to `STATE/event-spool/`, which the
 * running daemon moves into its outbox (docs/decisions.md); without a daemon they wait there. Exit
 * code: 0 clean, 1 infected, 2 error (as ClamAV's). Returns the exit code.
 */
export async function runAntivirusScan(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { trigger: { type: 'string' }, state: { type: 'string' }, ...CLAMAV_PATH_OPTIONS },
    });
    values = parsed.values;
    positionals = parsed.positionals;
    if (positionals[0] !== 'scan') throw new Error('expected "scan"');
    positionals = positionals.slice(1);
    const bad = positionals.find((p) => !p.startsWith('/') || p.split('/').includes('..'));
    if (bad !== undefined) throw new Error(`${bad}: expected an absolute path without ..`);
    if (values.trigger !== undefined && !TRIGGERS.includes(values.trigger as ScanTrigger)) {
      throw new Error(`--trigger: expected ${TRIGGERS.join(' or ')}`);
    }
  } catch (err) {
    process.stderr.write(`bascule-agent antivirus: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const logger = createJsonLogger({ write: (line) => process.stderr.write(line) });
  let clamav: ReturnType<typeof clamavPathsFrom>;
  try {
    clamav = clamavPathsFrom(values);
  } catch (err) {
    process.stderr.write(`bascule-agent antivirus: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const state = new StateDirectory(typeof values.state === 'string' ? values.state : DEFAULT_STATE_DIR);
  const policyFile = new StateDirectoryFile(state, ANTIVIRUS_POLICY_FILE);
  const policy = (): AntivirusPolicy => {
    const text = policyFile.read();
    if (text === null) return DEFAULT_ANTIVIRUS_POLICY;
    try {
      return parseAntivirusPolicy(text);
    } catch (err) {
      logger.warn('antivirus: policy file unusable; the defaults apply', {
        file: policyFile.path,
        error: err as Error,
      });
      return DEFAULT_ANTIVIRUS_POLICY;
    }
  };
  const scanner = new AntivirusScanner({
    lines: new SpawnLineProcessRunner(),
    clamdAnswers: () => clamdAnswers(clamav.clamdSocket),
    signatureVersion: () => databaseSignatureVersion(clamav.databaseDir),
    quarantine: new QuarantineStore(state.path('quarantine')),
    events: new SpoolDeviceEvents(state, systemClock),
    policy,
    clamav,
    clock: systemClock,
    ids: createIdGenerator(),
    logger,
  });
  const trigger = (values.trigger as ScanTrigger | undefined) ?? 'on-demand';
  const onSignal = () => scanner.stop();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  let done: ScanFinished;
  try {
    done = await scanner.start(trigger, positionals.length > 0 ? positionals : undefined).finished;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
  process.stdout.write(`${summary(done)}\n`);
  return done.result === 'clean' ? 0 : done.result === 'infected' ? 1 : 2;
}

function summary(d: ScanFinished): string {
  const lines = [`${d.result}: ${d.paths.join(' ')} (${d.engine}, ${(d.durationMs / 1000).toFixed(1)} s)`];
  for (const x of d.detections) lines.push(`  ${x.path}: ${x.signature} (${x.action})`);
  for (const e of d.errors) lines.push(`  error: ${e}`);
  return lines.join('\n');
}
