import type { IdGenerator } from '@bascule/protocol/runtime';
import type { DeviceEventQueue } from '../events/device-event-queue.js';
import { EventSpoolDrain } from '../events/event-spool.js';
import type { Logger } from '../logging/logger.js';
import { clamdAnswers } from '../system/clamd-probe.js';
import type { Clock } from '../system/clock.js';
import type { LineProcessRunner } from '../system/line-process.js';
import { onBattery } from '../system/power-supply.js';
import { QuarantineStore } from '../system/quarantine-store.js';
import type { StateDirectory } from '../system/state-directory.js';
import { StateDirectoryFile } from '../system/state-file.js';
import {
  ANTIVIRUS_POLICY_FILE,
  type AntivirusPolicy,
  DEFAULT_ANTIVIRUS_POLICY,
  parseAntivirusPolicy,
} from './antivirus-policy.js';
import { antivirusRpcHandlers } from './antivirus-rpc.js';
import { AntivirusScanner } from './antivirus-scanner.js';
import { ANTIVIRUS_RUNS_FILE, AntivirusScheduler } from './antivirus-scheduler.js';
import { type ClamavPaths, databaseSignatureVersion } from './clamav-paths.js';

export interface AntivirusServiceDeps {
  state: StateDirectory;
  clamav: ClamavPaths;
  lines: LineProcessRunner;
  events: DeviceEventQueue;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** `/sys/class/power_supply` unless a test lays out its own. */
  powerSupplyRoot?: string;
}

/**
 * The daemon's antivirus: the scanner (on-demand and scheduled scans), the scheduler's minute tick, and
 * the drain of events spooled by `bascule-agent antivirus scan`. `start()` starts the timers, `stop()`
 * stops them and kills a scan under way.
 */
export class AntivirusService {
  readonly scanner: AntivirusScanner;
  readonly handlers: Record<string, (params: unknown) => Promise<unknown>>;
  private readonly scheduler: AntivirusScheduler;
  private readonly drain: EventSpoolDrain;
  private readonly policyFile: StateDirectoryFile;
  private warnedPolicy: string | null = null;

  constructor(private readonly deps: AntivirusServiceDeps) {
    this.policyFile = new StateDirectoryFile(deps.state, ANTIVIRUS_POLICY_FILE);
    const quarantine = new QuarantineStore(deps.state.path('quarantine'));
    this.scanner = new AntivirusScanner({
      lines: deps.lines,
      clamdAnswers: () => clamdAnswers(deps.clamav.clamdSocket),
      signatureVersion: () => databaseSignatureVersion(deps.clamav.databaseDir),
      quarantine,
      events: deps.events,
      policy: () => this.usablePolicy() ?? DEFAULT_ANTIVIRUS_POLICY,
      clamav: deps.clamav,
      clock: deps.clock,
      ids: deps.ids,
      logger: deps.logger,
    });
    this.scheduler = new AntivirusScheduler({
      scanner: this.scanner,
      policy: () => this.usablePolicy(),
      runs: new StateDirectoryFile(deps.state, ANTIVIRUS_RUNS_FILE),
      onBattery: () => onBattery(deps.powerSupplyRoot),
      clock: deps.clock,
      logger: deps.logger,
    });
    this.drain = new EventSpoolDrain(deps.state, deps.events, deps.clock, deps.logger);
    this.handlers = antivirusRpcHandlers({
      scanner: this.scanner,
      quarantine,
      events: deps.events,
      logger: deps.logger,
    });
  }

  start(): void {
    this.scheduler.start();
    this.drain.start();
  }

  stop(): void {
    this.scheduler.stop();
    this.drain.stop();
    this.scanner.stop();
  }

  /** The policy file, or null without one; a file it cannot use is logged once and counts as none. */
  private usablePolicy(): AntivirusPolicy | null {
    const text = this.policyFile.read();
    if (text === null) return null;
    try {
      return parseAntivirusPolicy(text);
    } catch (err) {
      if (this.warnedPolicy !== text) {
        this.warnedPolicy = text;
        this.deps.logger.warn('antivirus: policy file unusable; scans use the defaults, none is scheduled', {
          file: this.policyFile.path,
          error: err as Error,
        });
      }
      return null;
    }
  }
}
