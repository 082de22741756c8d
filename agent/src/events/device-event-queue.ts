import type { DeviceEvent, DeviceEventType, EventMessage } from '@bascule/protocol';
import { type IdGenerator, PROTOCOL_VERSION } from '@bascule/protocol/runtime';
import type { Outbox } from '../outbox/outbox.js';
import type { Clock } from '../system/clock.js';

/** The `data` of one event type, as protocol/src/events/ defines it. */
export type EventData<T extends DeviceEventType> = Extract<DeviceEvent, { type: T }>['data'];

/** Where the daemon and its modules send events: typed by `type`, zod-free (types only from the protocol). */
export interface DeviceEvents {
  emit<T extends DeviceEventType>(type: T, data: EventData<T>): void;
}

/**
 * Puts each event in the outbox at once (one `event` message each, never dropped by the outbox's bounds)
 * and wakes the publisher: an event is worth the hub's knowing as soon as the link allows.
 */
export class DeviceEventQueue implements DeviceEvents {
  constructor(
    private readonly outbox: Pick<Outbox, 'enqueue'>,
    private readonly publisher: { pump(): void },
    private readonly ids: IdGenerator,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  emit<T extends DeviceEventType>(type: T, data: EventData<T>): void {
    const ts = new Date(this.clock.now()).toISOString();
    const message: EventMessage = {
      v: PROTOCOL_VERSION,
      id: this.ids(),
      ts,
      events: [{ type, ts, data } as DeviceEvent],
    };
    this.outbox.enqueue('event', message);
    this.publisher.pump();
  }

  /** An event recorded earlier with its own time (spooled by a command run beside the daemon). */
  emitRecorded(event: DeviceEvent): void {
    const message: EventMessage = {
      v: PROTOCOL_VERSION,
      id: this.ids(),
      ts: new Date(this.clock.now()).toISOString(),
      events: [event],
    };
    this.outbox.enqueue('event', message);
    this.publisher.pump();
  }
}
