import { type IdGenerator, PROTOCOL_VERSION } from '@bascule/protocol/runtime';
import type { Logger } from '../logging/logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Clock, Timer } from '../system/clock.js';
import type { ConfigApplySource } from './child-process-apply.js';
import { type HubAgentSettings, readConfigEnvelope, storedAgentSettings, storedRevision } from './config-envelope.js';
import type { ConfigStore } from './config-store.js';

export interface ConfigApplierDeps {
  store: Pick<ConfigStore, 'readPending' | 'writePending'>;
  source: ConfigApplySource;
  outbox: Pick<Outbox, 'enqueue'>;
  publisher: { pump(): void };
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Re-apply this often to find and correct drift (default in the daemon: 30 minutes). */
  intervalMs: number;
  /**
   * The config's `agent` section, for the daemon's own settings (metered mode): at start from the stored
   * config, then with each new revision. Must not throw.
   */
  onAgentSettings?: (agent: HubAgentSettings) => void;
  /** After each apply whose report was handled (the daemon's self-update restart). Must not throw. */
  afterApply?: () => void;
}

/**
 * The daemon's side of desired-state configuration, without zod: stores each `config` from the hub
 * (atomically, as the pending config; a lower revision than the stored one is ignored), runs the apply
 * in a child process at start, on each new config and every `intervalMs`, and puts the report in the
 * outbox. A periodic run whose report says the same as the last one sent is not sent again, unless a
 * module found drift. After a refused config, the periodic runs apply the last good one.
 */
export class ConfigApplier {
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;
  private lastSent: string | undefined;
  private pendingRefused = false;
  private abort: AbortController | undefined;

  constructor(private readonly deps: ConfigApplierDeps) {}

  start(): void {
    this.started = true;
    const pending = this.deps.store.readPending();
    // The hub's settings hold from the start, before the connection brings the retained config again.
    this.deps.onAgentSettings?.(storedAgentSettings(pending));
    if (pending) this.request();
    else this.schedule();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
    // An apply under way is killed (a stopping agent must not wait minutes for a domain join); the
    // next start applies again, which is safe because a second apply only does what is left.
    this.abort?.abort();
    await this.running;
  }

  /** A message on the `config` topic. Never throws. */
  onConfig(payload: Buffer): void {
    if (payload.length === 0) {
      this.deps.logger.info("config: the hub cleared this device's config; nothing to apply");
      return;
    }
    const envelope = readConfigEnvelope(payload);
    if (!envelope.ok) {
      this.deps.logger.error('config: refused', { reason: envelope.reason });
      this.send({
        v: PROTOCOL_VERSION,
        id: this.deps.ids(),
        ts: new Date(this.deps.clock.now()).toISOString(),
        revision: envelope.revision,
        refused: envelope.reason,
        modules: {},
      });
      return;
    }
    let stored: number | null;
    try {
      stored = storedRevision(this.deps.store.readPending());
    } catch (err) {
      this.deps.logger.warn('config: the stored config could not be read; taking the new one', {
        error: err as Error,
      });
      stored = null;
    }
    // The retained config comes again at each connection: the same revision is already stored.
    if (stored !== null && envelope.revision <= stored) {
      if (envelope.revision < stored) {
        this.deps.logger.warn('config: older revision ignored', { revision: envelope.revision, stored });
      }
      return;
    }
    try {
      this.deps.store.writePending(envelope.json);
    } catch (err) {
      this.deps.logger.error('config: could not store the new config; it is not applied', {
        revision: envelope.revision,
        error: err as Error,
      });
      return;
    }
    this.deps.logger.info('config: new revision', { revision: envelope.revision, previous: stored });
    this.deps.onAgentSettings?.(envelope.agent);
    this.pendingRefused = false;
    this.lastSent = undefined;
    this.request();
  }

  /** Runs an apply now, or right after the one under way. */
  private request(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.runOnce()
      .catch((err: Error) => this.deps.logger.error('config: apply failed', { error: err }))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.request();
        } else this.schedule();
      });
  }

  private async runOnce(): Promise<void> {
    this.abort = new AbortController();
    const report = await this.deps.source
      .apply(this.pendingRefused ? 'last-good' : 'pending', this.abort.signal)
      .finally(() => {
        this.abort = undefined;
      });
    if (!report || !this.started) return;
    if (typeof report.refused === 'string') {
      // Keep applying the last good config so that drift is still corrected.
      if (!this.pendingRefused) this.send(report);
      this.pendingRefused = true;
      return;
    }
    const modules = Object.values((report.modules ?? {}) as Record<string, { status?: string; error?: string }>);
    const summary = JSON.stringify([report.revision, modules.map((m) => [m.status, m.error])]);
    if (summary !== this.lastSent || modules.some((m) => m.status === 'drift')) this.send(report);
    this.lastSent = summary;
    this.deps.afterApply?.();
  }

  private send(report: Record<string, unknown>): void {
    try {
      this.deps.outbox.enqueue('report', report as { id: string } & Record<string, unknown>);
      this.deps.publisher.pump();
    } catch (err) {
      this.deps.logger.error('config: report not queued', { error: err as Error });
    }
  }

  private schedule(): void {
    if (!this.started) return;
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = undefined;
      this.request();
    }, this.deps.intervalMs);
  }
}
