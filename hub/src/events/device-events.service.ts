import type { DeviceEvent } from '@bascule/protocol';
import type { Logger } from '../core/logger.js';
import type { Db } from '../database/database.js';
import type { DeviceService } from '../devices/device.service.js';
import type { DeviceEventRepository, DeviceEventRow, EventListQuery } from './device-event.repository.js';

/** An event as the API gives it. */
export interface DeviceEventView {
  id: string;
  deviceId: string;
  hostname: string;
  type: string;
  ts: string;
  receivedAt: string;
  data: unknown;
}

/** A valid event of a stored message, with its place in the message (part of its id). */
export interface IndexedEvent {
  index: number;
  event: DeviceEvent;
}

/** What reacts to a device's events once they are stored (alerts on a detection, a module's status). */
export interface DeviceEventListener {
  /** Inside the message's transaction: what must be stored with the events or not at all. */
  record?(tx: Db, deviceId: string, events: readonly DeviceEvent[], receivedAt: string): Promise<void>;
  /** After the commit; a failure is logged and costs only this listener's work. */
  recorded?(deviceId: string, events: readonly DeviceEvent[]): Promise<void>;
}

/** How ingest stores an `event` message (broker/ingest.service.ts). */
export interface EventSink {
  record(
    tx: Db,
    deviceId: string,
    messageId: string,
    events: readonly IndexedEvent[],
    receivedAt: string,
  ): Promise<void>;
  recorded(deviceId: string, events: readonly IndexedEvent[]): Promise<void>;
}

/** Device events: stored by ingest, listed per device and for the fleet, passed to the listeners. */
export class DeviceEventsService implements EventSink {
  constructor(
    private readonly repo: DeviceEventRepository,
    private readonly devices: Pick<DeviceService, 'get'>,
    private readonly logger: Logger,
    private readonly listeners: readonly DeviceEventListener[] = [],
  ) {}

  async record(
    tx: Db,
    deviceId: string,
    messageId: string,
    events: readonly IndexedEvent[],
    receivedAt: string,
  ): Promise<void> {
    await this.repo.insert(
      tx,
      events.map(({ index, event }) => ({
        id: eventId(messageId, index),
        messageId,
        deviceId,
        type: event.type,
        ts: event.ts,
        receivedAt,
        data: JSON.stringify(event.data),
      })),
    );
    const list = events.map((e) => e.event);
    for (const l of this.listeners) await l.record?.(tx, deviceId, list, receivedAt);
  }

  async recorded(deviceId: string, events: readonly IndexedEvent[]): Promise<void> {
    const list = events.map((e) => e.event);
    for (const l of this.listeners) {
      await l
        .recorded?.(deviceId, list)
        .catch((err: Error) => this.logger.error('events: after-ingest work failed', { deviceId, error: err }));
    }
  }

  async list(q: EventListQuery): Promise<{ rows: DeviceEventView[]; total: number }> {
    const { rows, total } = await this.repo.list(q);
    return { rows: rows.map(view), total };
  }

  /** One device's events; 404 for an unknown device. */
  async listForDevice(deviceId: string, q: EventListQuery): Promise<{ rows: DeviceEventView[]; total: number }> {
    await this.devices.get(deviceId);
    return this.list({ ...q, filter: { ...q.filter, deviceId } });
  }
}

/** `{messageId}-{index}`: the same event re-sent in the same message has the same id. */
export function eventId(messageId: string, index: number): string {
  return `${messageId}-${index}`;
}

function view(r: DeviceEventRow): DeviceEventView {
  return {
    id: r.id,
    deviceId: r.device_id,
    hostname: r.hostname,
    type: r.type,
    ts: r.ts,
    receivedAt: r.received_at,
    data: JSON.parse(r.data) as unknown,
  };
}
