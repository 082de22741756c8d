import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { GlpiExportService } from './glpi-export.service.js';
import type { GlpiForwardRepository } from './glpi-forward.repository.js';
import type { GlpiPoster } from './glpi-http.client.js';

/** Retry timing: the wait doubles after each failure, from `firstRetryMs` up to `maxRetryMs`. */
export interface GlpiForwardTiming {
  firstRetryMs: number;
  maxRetryMs: number;
  /** How often the queue is looked at when nothing wakes it (a retry due, after a restart). */
  pollMs: number;
}

export const DEFAULT_GLPI_FORWARD_TIMING: GlpiForwardTiming = {
  firstRetryMs: 30_000,
  maxRetryMs: 3_600_000,
  pollMs: 15_000,
};

/** Devices sent per pass; the next pass follows at once when there were more. */
const BATCH = 20;

export interface GlpiDeviceStatus {
  deviceId: string;
  hostname: string;
  pending: boolean;
  queuedAt: string | null;
  nextAttemptAt: string | null;
  attempts: number;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
}

export interface GlpiForwardStatus {
  configured: boolean;
  /** The server's URL without credentials. */
  url: string | null;
  queueLength: number;
  devices: GlpiDeviceStatus[];
}

/**
 * Sends each stored full or changed inventory to a GLPI server, in GLPI's native inventory format,
 * from a queue kept in SQLite (a hub restart loses nothing). A failed attempt is retried with an
 * exponential backoff; the first failure of a device and its recovery are audited, every attempt is
 * logged, and `status()` shows the rest. start() runs the sender, stop() ends it.
 */
export class GlpiForwarder {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  /** A pass asked for while one runs: it follows that one (what it queued may have come too late). */
  private next: Promise<void> | undefined;
  private running = false;

  constructor(
    private readonly poster: (GlpiPoster & { close?(): void }) | undefined,
    private readonly url: string | undefined,
    private readonly repo: GlpiForwardRepository,
    private readonly glpi: GlpiExportService,
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly timing: GlpiForwardTiming = DEFAULT_GLPI_FORWARD_TIMING,
  ) {}

  get configured(): boolean {
    return this.poster !== undefined;
  }

  start(): void {
    if (!this.poster) return;
    this.running = true;
    this.logger.info('glpi forwarding on', { url: this.url });
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.pass;
    this.poster?.close?.();
  }

  /** An inventory was stored (full, or with changed sections): queue the device, send soon. */
  async inventoryStored(deviceId: string): Promise<void> {
    if (!this.poster) return;
    await this.repo.enqueue(deviceId, this.clock.now().toISOString());
    this.kick();
  }

  /** Sends what is due now; resolves when the pass is over (tests await it). */
  kick(): Promise<void> {
    if (!this.running) return Promise.resolve();
    if (this.pass) {
      this.next ??= this.pass.then(() => {
        this.next = undefined;
        return this.kick();
      });
      return this.next;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pass = this.sendDue()
      .catch((err: Error) => this.logger.error('glpi: forwarding pass failed', { error: err }))
      .finally(() => {
        this.pass = undefined;
        if (this.running && !this.next) void this.scheduleNext();
      });
    return this.pass;
  }

  async status(): Promise<GlpiForwardStatus> {
    const rows = await this.repo.list();
    return {
      configured: this.configured,
      url: this.url ?? null,
      queueLength: rows.filter((r) => r.pending === 1).length,
      devices: rows.map((r) => ({
        deviceId: r.device_id,
        hostname: r.hostname,
        pending: r.pending === 1,
        queuedAt: r.queued_at,
        nextAttemptAt: r.pending === 1 ? r.next_attempt_at : null,
        attempts: r.attempts,
        lastSuccessAt: r.last_success_at,
        lastFailureAt: r.last_failure_at,
        lastError: r.last_error,
      })),
    };
  }

  private async scheduleNext(): Promise<void> {
    const next = await this.repo.nextDue();
    if (!this.running) return;
    const waitMs = next
      ? Math.min(Math.max(Date.parse(next) - this.clock.now().getTime(), 0), this.timing.pollMs)
      : this.timing.pollMs;
    this.timer = setTimeout(() => void this.kick(), waitMs);
  }

  private async sendDue(): Promise<void> {
    for (;;) {
      const due = await this.repo.due(this.clock.now().toISOString(), BATCH);
      for (const row of due) {
        if (!this.running) return;
        await this.send(row.device_id, row.queued_at, row.attempts);
      }
      if (due.length < BATCH) return;
    }
  }

  private async send(deviceId: string, queuedAt: string | null, attempts: number): Promise<void> {
    const poster = this.poster as GlpiPoster;
    let error: string | undefined;
    try {
      const answer = await poster.post(await this.glpi.export(deviceId));
      error = refusalOf(answer.status, answer.body);
    } catch (err) {
      error = `GLPI not reached: ${(err as Error).message}`;
    }
    const now = this.clock.now();
    const at = now.toISOString();
    if (error === undefined) {
      await this.repo.sent(deviceId, at, queuedAt);
      this.logger.info('glpi: inventory sent', { deviceId });
      if (attempts > 0) {
        await this.audit.record({
          ts: at,
          actor: 'hub',
          action: 'glpi.forward.recovered',
          target: deviceId,
          detail: { afterAttempts: attempts },
        });
      }
      return;
    }
    const failures = attempts + 1;
    const waitMs = Math.min(this.timing.firstRetryMs * 2 ** (failures - 1), this.timing.maxRetryMs);
    const next = new Date(now.getTime() + waitMs).toISOString();
    await this.repo.failed(deviceId, at, error, failures, next);
    this.logger.warn('glpi: inventory not accepted; will retry', {
      deviceId,
      error,
      attempts: failures,
      retryAt: next,
    });
    if (failures === 1) {
      await this.audit.record({
        ts: at,
        actor: 'hub',
        action: 'glpi.forward.failed',
        target: deviceId,
        detail: { error },
      });
    }
  }
}

/**
 * GLPI answers an inventory with an HTTP status and JSON (`{"status":"ok",…}`, or
 * `{"status":"error","message":…}`); anything but a 2xx without an error status is a failure, with
 * GLPI's message when it gave one. Undefined when accepted.
 */
export function refusalOf(status: number, body: string): string | undefined {
  let message: string | undefined;
  let glpiStatus: string | undefined;
  try {
    const json = JSON.parse(body) as { status?: unknown; message?: unknown };
    if (typeof json.status === 'string') glpiStatus = json.status;
    if (typeof json.message === 'string') message = json.message;
  } catch {
    // Not JSON (a proxy's error page): the HTTP status says enough.
  }
  if (status >= 200 && status < 300 && glpiStatus !== 'error') return undefined;
  return `GLPI answered ${status}${message ? `: ${message}` : ''}`;
}

/** The URL as logs and the REST status show it: without the credentials it may carry. */
export function displayUrl(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString();
}
