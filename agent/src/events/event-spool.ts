import { randomBytes } from 'node:crypto';
import type { DeviceEvent, DeviceEventType } from '@bascule/protocol';
import type { Logger } from '../logging/logger.js';
import type { Clock, Timer } from '../system/clock.js';
import type { StateDirectory } from '../system/state-directory.js';
import type { DeviceEventQueue, DeviceEvents, EventData } from './device-event-queue.js';

/** Events written by short-lived commands (`bascule-agent antivirus scan`), for the daemon to send. */
export const EVENT_SPOOL_DIR = 'event-spool';

/**
 * The events of a command run beside the daemon (NetworkManager's dispatcher script): the outbox is the
 * daemon's alone (its sequence numbers live in the daemon's memory), so the command drops each event as
 * one file in `STATE/event-spool/` (atomic, named by time), and the daemon moves them into the outbox.
 */
export class SpoolDeviceEvents implements DeviceEvents {
  constructor(
    private readonly state: StateDirectory,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  emit<T extends DeviceEventType>(type: T, data: EventData<T>): void {
    const now = this.clock.now();
    const ts = new Date(now).toISOString();
    this.state.ensure(EVENT_SPOOL_DIR);
    const name = `${EVENT_SPOOL_DIR}/${String(now).padStart(15, '0')}-${randomBytes(4).toString('hex')}.json`;
    this.state.writeAtomic(name, `${JSON.stringify({ type, ts, data })}\n`);
  }
}

/** In the daemon: every few seconds, the spooled events go to the outbox, oldest first. */
export class EventSpoolDrain {
  private timer: Timer | undefined;

  constructor(
    private readonly state: StateDirectory,
    private readonly queue: Pick<DeviceEventQueue, 'emitRecorded'>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly intervalMs = 5_000,
  ) {}

  start(): void {
    const loop = () => {
      try {
        this.drain();
      } catch (err) {
        this.logger.error('event spool: drain failed', { error: err as Error });
      }
      this.timer = this.clock.setTimeout(loop, this.intervalMs);
    };
    this.timer = this.clock.setTimeout(loop, 0);
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Moves what is there into the outbox; returns how many events went. */
  drain(): number {
    let sent = 0;
    const files = this.state
      .list(EVENT_SPOOL_DIR)
      .map((f) => f.name)
      .sort();
    for (const name of files) {
      const file = `${EVENT_SPOOL_DIR}/${name}`;
      const event = readEvent(this.state.read(file)?.toString('utf8') ?? '');
      if (event) {
        this.queue.emitRecorded(event);
        sent++;
        this.state.remove(file);
      } else {
        // Kept for a person to look at, out of the way of the next drains.
        this.logger.warn('event spool: not an event; set aside', { file: this.state.path(file) });
        this.state.move(file, `${EVENT_SPOOL_DIR}/.bad-${name}`);
      }
    }
    return sent;
  }
}

/** The hub checks each event against its schema; here only its shape, by hand (no zod in the daemon). */
function readEvent(text: string): DeviceEvent | null {
  try {
    const e = JSON.parse(text) as Record<string, unknown>;
    const ok =
      typeof e === 'object' &&
      e !== null &&
      typeof e.type === 'string' &&
      typeof e.ts === 'string' &&
      typeof e.data === 'object' &&
      e.data !== null;
    return ok ? (e as unknown as DeviceEvent) : null;
  } catch {
    return null;
  }
}
