import type { Logger } from '../logging/logger.js';
import type { Clock, Timer } from '../system/clock.js';
import type { StateFile } from '../system/state-file.js';
import type { AntivirusPolicy } from './antivirus-policy.js';
import type { AntivirusScanner } from './antivirus-scanner.js';
import { openWindow } from './scan-window.js';

/** Where the daemon remembers the window each schedule last ran in, so a restart does not scan twice. */
export const ANTIVIRUS_RUNS_FILE = 'antivirus/schedule-runs.json';

export interface AntivirusSchedulerDeps {
  scanner: Pick<AntivirusScanner, 'busy' | 'start'>;
  /** The policy's schedules now, null without an antivirus policy. */
  policy(): AntivirusPolicy | null;
  runs: StateFile;
  /** The machine runs on battery (see system/power-supply.ts). */
  onBattery(): boolean;
  clock: Clock;
  logger: Logger;
  /** Default: a minute. */
  tickMs?: number;
}

/**
 * Scheduled scans. At each minute tick, a schedule whose window is open and that has not run in this
 * window starts a scan: one window, one scan, even across restarts (the window's name is stored in
 * `STATE/antivirus/schedule-runs.json` when the scan starts). While another scan runs, or on battery
 * with `onlyOnMainsPower`, it waits for a later tick of the same window; a window that closes before
 * that is missed, and the next one runs.
 */
export class AntivirusScheduler {
  private timer: Timer | undefined;
  private waitingLogged = new Set<string>();

  constructor(private readonly deps: AntivirusSchedulerDeps) {}

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One look at the schedules; returns the windows a scan started for (tests). */
  tick(): string[] {
    const { deps } = this;
    let policy: AntivirusPolicy | null;
    try {
      policy = deps.policy();
    } catch (err) {
      deps.logger.warn('antivirus: the policy file cannot be used; no scheduled scan', { error: err as Error });
      return [];
    }
    if (!policy || policy.schedules.length === 0) return [];
    const now = new Date(deps.clock.now());
    const runs = this.readRuns();
    const started: string[] = [];
    for (const schedule of policy.schedules) {
      const window = openWindow(schedule, now);
      if (window === null) continue;
      const key = JSON.stringify([schedule.paths, schedule.days, schedule.windowStart, schedule.windowEnd]);
      if (runs[key] === window) continue;
      if (deps.scanner.busy) continue;
      if (policy.onlyOnMainsPower && deps.onBattery()) {
        if (!this.waitingLogged.has(window)) {
          this.waitingLogged.add(window);
          deps.logger.info('antivirus: scheduled scan waits for mains power', { window, paths: schedule.paths });
        }
        continue;
      }
      runs[key] = window;
      this.writeRuns(runs);
      const { scanId, finished } = deps.scanner.start('scheduled', schedule.paths);
      finished.catch((err: Error) => deps.logger.error('antivirus: scheduled scan failed', { scanId, error: err }));
      started.push(window);
    }
    return started;
  }

  private schedule(ms: number): void {
    this.timer = this.deps.clock.setTimeout(() => {
      try {
        this.tick();
      } catch (err) {
        this.deps.logger.error('antivirus: scheduler tick failed', { error: err as Error });
      }
      this.schedule(this.deps.tickMs ?? 60_000);
    }, ms);
  }

  private readRuns(): Record<string, string> {
    const text = this.deps.runs.read();
    if (text === null) return {};
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        return parsed as Record<string, string>;
      }
    } catch (err) {
      this.deps.logger.warn('antivirus: schedule record unreadable; starting afresh', {
        file: this.deps.runs.path,
        error: err as Error,
      });
    }
    return {};
  }

  private writeRuns(runs: Record<string, string>): void {
    this.deps.runs.write(`${JSON.stringify(runs, null, 2)}\n`);
  }
}
