import type { AntivirusDetection } from '@bascule/protocol';
import type { IdGenerator } from '@bascule/protocol/runtime';
import type { DeviceEvents, EventData } from '../events/device-event-queue.js';
import type { Logger } from '../logging/logger.js';
import type { Clock, Timer } from '../system/clock.js';
import { CommandNotFoundError } from '../system/command-runner.js';
import type { LineProcessRunner } from '../system/line-process.js';
import type { QuarantineStore } from '../system/quarantine-store.js';
import type { AntivirusPolicy } from './antivirus-policy.js';
import type { ClamavPaths } from './clamav-paths.js';
import { parseScanLine, scanResultOf } from './clamav-scan-output.js';
import { type ScanEngine, scanCommand } from './scan-command.js';

export type ScanTrigger = 'scheduled' | 'on-demand' | 'before-vpn';
export type ScanFinished = EventData<'antivirus.scan.finished'>;

export interface AntivirusScannerDeps {
  lines: LineProcessRunner;
  /** Whether clamd answers on its socket now: clamdscan then, clamscan otherwise. */
  clamdAnswers(): Promise<boolean>;
  quarantine: Pick<QuarantineStore, 'quarantine'>;
  events: DeviceEvents;
  /** The policy the apply child left (`config/antivirus.json`), or the defaults without one. */
  policy(): AntivirusPolicy;
  clamav: ClamavPaths;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Between two progress events; default 5 s. */
  progressMs?: number;
  /** A scan killed after this long; default 12 hours. */
  timeoutMs?: number;
  /** The signature version in the database directory, for the finished event. */
  signatureVersion?(): string | undefined;
}

const MAX_DETECTIONS = 1000;
const MAX_ERRORS = 64;
const DEFAULT_PATHS = ['/home'];

/** A scan is running: one at a time. */
export class ScanBusyError extends Error {
  override name = 'ScanBusyError';
}

/**
 * Runs ClamAV scans, one at a time, in the daemon (or in `bascule-agent antivirus scan`): clamdscan when
 * clamd answers, clamscan otherwise; reads the answers line by line, sends a progress event every few
 * seconds, moves what is found to the quarantine (or only reports it, as the policy says) and ends with
 * `antivirus.scan.finished`. A scan that cannot run (ClamAV missing, a path that does not exist, a
 * database ClamAV cannot load) ends as `error`, never as `clean`, and never throws out of the scanner.
 */
export class AntivirusScanner {
  private current: { scanId: string; startedAt: string; abort: AbortController } | null = null;

  constructor(private readonly deps: AntivirusScannerDeps) {}

  get busy(): boolean {
    return this.current !== null;
  }

  /** The paths a scan takes without any given: the schedules' paths, else /home. */
  defaultPaths(policy: AntivirusPolicy = this.deps.policy()): string[] {
    const paths = [...new Set(policy.schedules.flatMap((s) => s.paths))];
    return paths.length > 0 ? paths.slice(0, 64) : DEFAULT_PATHS;
  }

  /** Starts a scan; `finished` resolves with the finished event's data. Throws ScanBusyError. */
  start(trigger: ScanTrigger, paths?: readonly string[]): { scanId: string; finished: Promise<ScanFinished> } {
    if (this.current) {
      throw new ScanBusyError(
        `a scan is already running (${this.current.scanId}, started at ${this.current.startedAt}); try again when it ends`,
      );
    }
    const policy = this.deps.policy();
    const scanId = this.deps.ids();
    const startedAt = new Date(this.deps.clock.now()).toISOString();
    const abort = new AbortController();
    this.current = { scanId, startedAt, abort };
    const scanPaths = paths && paths.length > 0 ? [...paths] : this.defaultPaths(policy);
    const finished = this.run(scanId, startedAt, trigger, scanPaths, policy, abort.signal).finally(() => {
      this.current = null;
    });
    return { scanId, finished };
  }

  /** Kills a scan under way (the agent stopping); it ends as `error`. */
  stop(): void {
    this.current?.abort.abort();
  }

  private async run(
    scanId: string,
    startedAt: string,
    trigger: ScanTrigger,
    paths: string[],
    policy: AntivirusPolicy,
    signal: AbortSignal,
  ): Promise<ScanFinished> {
    const { deps } = this;
    deps.events.emit('antivirus.scan.started', { scanId, trigger, paths });
    deps.logger.info('antivirus: scan started', { scanId, trigger, paths });
    const engine: ScanEngine = (await deps.clamdAnswers()) ? 'clamdscan' : 'clamscan';
    const found: Array<{ path: string; signature: string }> = [];
    const errors = new Set<string>();
    const exclusions = compileExclusions(policy.exclusions, errors);
    let filesScanned = 0;
    let progress: Timer | undefined;
    const tick = () => {
      deps.events.emit('antivirus.scan.progress', { scanId, filesScanned });
      progress = deps.clock.setTimeout(tick, deps.progressMs ?? 5_000);
    };
    progress = deps.clock.setTimeout(tick, deps.progressMs ?? 5_000);
    let exitCode: number | null = null;
    let foundRaw = 0;
    try {
      const { bin, args } = scanCommand({
        engine,
        paths,
        exclusions: policy.exclusions,
        maxFileSizeMiB: policy.maxFileSizeMiB,
        lowPriority: policy.lowPriority,
        clamav: deps.clamav,
      });
      const result = await deps.lines.run(bin, args, {
        timeout: deps.timeoutMs ?? 12 * 3_600_000,
        signal,
        onLine: (stream, line) => {
          const parsed = parseScanLine(stream, line);
          if (parsed.kind === 'ok' || parsed.kind === 'skipped') filesScanned++;
          else if (parsed.kind === 'found') {
            filesScanned++;
            foundRaw++;
            // clamdscan has no --exclude: its answers for excluded paths are dropped here.
            if (!exclusions.some((e) => e.test(parsed.path))) found.push(parsed);
          } else if (parsed.kind === 'error' && errors.size < MAX_ERRORS) errors.add(parsed.message);
        },
      });
      exitCode = result.exitCode;
      if (signal.aborted) errors.add('the scan was stopped (the agent stopped)');
      else if (result.timedOut)
        errors.add(`the scan was stopped after ${Math.round((deps.timeoutMs ?? 0) / 60_000)} min`);
      else if (result.exitCode === null) errors.add(`${engine} was killed (${result.signal ?? 'signal'})`);
      // nice's own answer when the command it runs is not installed.
      else if (result.exitCode === 127 && policy.lowPriority) errors.add(notInstalled(engine));
      else if (result.exitCode >= 2 && errors.size === 0) errors.add(`${engine} exited with ${result.exitCode}`);
    } catch (err) {
      const message =
        err instanceof CommandNotFoundError
          ? notInstalled(engine)
          : `the scan could not run: ${(err as Error).message}`;
      errors.add(message.slice(0, 2000));
      deps.logger.error('antivirus: scan failed', { scanId, error: err as Error });
    } finally {
      if (progress !== undefined) deps.clock.clearTimeout(progress);
    }
    let result =
      exitCode === 1 && foundRaw > 0 && found.length === 0 ? ('clean' as const) : scanResultOf(exitCode, foundRaw);
    if (signal.aborted) result = 'error';
    const detections = found.slice(0, MAX_DETECTIONS).map((f) => this.handle(f, policy));
    const data: ScanFinished = {
      scanId,
      trigger,
      result,
      startedAt,
      durationMs: Math.max(0, deps.clock.now() - Date.parse(startedAt)),
      engine,
      paths,
      ...(engine === 'clamscan' ? { filesScanned } : {}),
      detections,
      ...(found.length > MAX_DETECTIONS ? { detectionsTruncated: true } : {}),
      errors: [...errors],
      exitCode,
      ...this.signatureVersion(),
    };
    deps.events.emit('antivirus.scan.finished', data);
    deps.logger.info('antivirus: scan finished', {
      scanId,
      result,
      engine,
      detections: detections.length,
      errors: data.errors.length,
      durationMs: data.durationMs,
    });
    return data;
  }

  private signatureVersion(): { signatureVersion?: string } {
    try {
      const v = this.deps.signatureVersion?.();
      return v ? { signatureVersion: v.slice(0, 64) } : {};
    } catch (err) {
      this.deps.logger.warn('antivirus: signature version unreadable', { error: err as Error });
      return {};
    }
  }

  private handle(f: { path: string; signature: string }, policy: AntivirusPolicy): AntivirusDetection {
    const signature = f.signature.slice(0, 512);
    if (policy.action === 'report') return { path: f.path, signature, action: 'reported' };
    try {
      const record = this.deps.quarantine.quarantine(f.path, signature, new Date(this.deps.clock.now()));
      return { path: f.path, signature, action: 'quarantined', quarantineId: record.id };
    } catch (err) {
      this.deps.logger.error('antivirus: quarantine failed', { path: f.path, error: err as Error });
      return { path: f.path, signature, action: 'quarantine-failed', error: (err as Error).message.slice(0, 2000) };
    }
  }
}

function notInstalled(engine: ScanEngine): string {
  return `${engine} is not installed: install the Debian package ${engine === 'clamdscan' ? 'clamdscan' : 'clamav'} (Bascule installs nothing by itself)`;
}

function compileExclusions(patterns: readonly string[], errors: Set<string>): RegExp[] {
  const out: RegExp[] = [];
  for (const p of patterns) {
    try {
      out.push(new RegExp(p));
    } catch {
      errors.add(`exclusion ${JSON.stringify(p)} is not a regular expression; ignored`);
    }
  }
  return out;
}
