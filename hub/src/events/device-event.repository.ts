import { type Selectable, sql } from 'kysely';
import type { Db } from '../database/database.js';
import { nullsAsSmallest } from '../database/dialect.js';
import type { DeviceEventsTable } from '../database/schema.js';

export type DeviceEventRow = Selectable<DeviceEventsTable> & { hostname: string };

export const EVENT_SORT_FIELDS = {
  ts: 'device_events.ts',
  receivedAt: 'device_events.received_at',
  type: 'device_events.type',
  hostname: 'devices.hostname',
} as const;
export type EventSortField = keyof typeof EVENT_SORT_FIELDS;

export interface EventFilter {
  deviceId?: string;
  /** Exact types (a list: any of them); an empty list matches nothing. */
  types?: string[];
  /** Types starting with this (`antivirus.` for every antivirus event). */
  typePrefix?: string;
  /** ISO times, inclusive / exclusive, on the device's own time of the event. */
  since?: string;
  until?: string;
  ids?: string[];
}

export interface EventListQuery {
  filter: EventFilter;
  sort: EventSortField;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export interface EventWrite {
  id: string;
  messageId: string;
  deviceId: string;
  type: string;
  ts: string;
  receivedAt: string;
  data: string;
}

/** The `device_events` table: written in the ingest transaction of each `event` message, read by the API. */
export class DeviceEventRepository {
  constructor(private readonly db: Db) {}

  /** Inside the message's transaction (broker/ingest.repository.ts `once`). */
  async insert(tx: Db, rows: EventWrite[]): Promise<void> {
    if (rows.length === 0) return;
    await tx
      .insertInto('device_events')
      .values(
        rows.map((r) => ({
          id: r.id,
          message_id: r.messageId,
          device_id: r.deviceId,
          type: r.type,
          ts: r.ts,
          received_at: r.receivedAt,
          data: r.data,
        })),
      )
      .execute();
  }

  async list(q: EventListQuery): Promise<{ rows: DeviceEventRow[]; total: number }> {
    let base = this.db.selectFrom('device_events').innerJoin('devices', 'devices.id', 'device_events.device_id');
    const f = q.filter;
    if (f.deviceId !== undefined) base = base.where('device_events.device_id', '=', f.deviceId);
    if (f.types)
      base = f.types.length ? base.where('device_events.type', 'in', f.types) : base.where(sql<boolean>`false`);
    if (f.typePrefix !== undefined) {
      // The prefix is matched literally: LIKE's own wildcards in it are escaped.
      const escaped = f.typePrefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
      base = base.where(sql<boolean>`lower(device_events.type) like ${`${escaped}%`} escape '\\'`);
    }
    if (f.since !== undefined) base = base.where('device_events.ts', '>=', f.since);
    if (f.until !== undefined) base = base.where('device_events.ts', '<', f.until);
    if (f.ids) base = f.ids.length ? base.where('device_events.id', 'in', f.ids) : base.where(sql<boolean>`false`);
    const rows = await base
      .selectAll('device_events')
      .select('devices.hostname')
      .orderBy(EVENT_SORT_FIELDS[q.sort], nullsAsSmallest(q.order))
      .orderBy('device_events.id', q.order)
      .offset(q.offset)
      .limit(q.limit)
      .execute();
    const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return { rows, total: Number(count?.n ?? 0) };
  }
}
