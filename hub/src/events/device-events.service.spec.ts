import { createIdGenerator, encodePayload } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../http/http-errors.js';
import { enrolTestDevice, testServices } from '../test-support.js';
import { eventFilter } from './device-events.controller.js';

type Services = Awaited<ReturnType<typeof testServices>>;
const ids = createIdGenerator();

const started = (ts: string, scanId = 's1') => ({
  type: 'antivirus.scan.started',
  ts,
  data: { scanId, trigger: 'scheduled', paths: ['/home'] },
});
const progress = (ts: string, filesScanned: number) => ({
  type: 'antivirus.scan.progress',
  ts,
  data: { scanId: 's1', filesScanned },
});
const message = (events: unknown[]) => ({ v: 1, id: ids(), ts: new Date().toISOString(), events });
const page = { sort: 'ts' as const, order: 'asc' as const, offset: 0, limit: 100, filter: {} };

describe('device events', () => {
  let s: Services;
  let deviceId: string;
  beforeEach(async () => {
    s = await testServices();
    deviceId = await enrolTestDevice(
      s,
      { hostname: 'pc-accueil-3', machineId: 'm', dmiUuid: 'u', serial: 's' },
      'Accueil',
    );
  });
  afterEach(() => s.close());

  it('stores the events of a message once, even when it is delivered twice', async () => {
    const msg = message([started('2026-12-02T10:00:00Z'), progress('2026-12-02T10:00:05Z', 120)]);
    expect(await s.ingest.ingest(deviceId, 'event', encodePayload(msg))).toBe('stored');
    expect(await s.ingest.ingest(deviceId, 'event', encodePayload(msg))).toBe('duplicate');
    const { rows, total } = await s.events.listForDevice(deviceId, page);
    expect(total).toBe(2);
    expect(rows.map((r) => [r.type, r.ts, r.hostname])).toEqual([
      ['antivirus.scan.started', '2026-12-02T10:00:00Z', 'pc-accueil-3'],
      ['antivirus.scan.progress', '2026-12-02T10:00:05Z', 'pc-accueil-3'],
    ]);
    expect(rows[1]?.data).toEqual({ scanId: 's1', filesScanned: 120 });
    expect(rows[0]?.id).toBe(`${msg.id}-0`);
  });

  it('drops only the event that does not fit (unknown type, bad data) and logs why', async () => {
    const msg = message([
      started('2026-12-02T10:00:00Z'),
      { type: 'wwan.teleport', ts: '2026-12-02T10:00:01Z', data: {} },
      progress('2026-12-02T10:00:02Z', -1),
    ]);
    expect(await s.ingest.ingest(deviceId, 'event', encodePayload(msg))).toBe('stored');
    const { rows } = await s.events.listForDevice(deviceId, page);
    expect(rows.map((r) => r.type)).toEqual(['antivirus.scan.started']);
    const warn = s.lines.find((l) => l.includes('device events refused')) ?? '';
    expect(warn).toContain('events.1 (wwan.teleport)');
    expect(warn).toContain('events.2 (antivirus.scan.progress): data.filesScanned');
  });

  it('refuses a message with no valid event or a broken envelope, and stores nothing', async () => {
    const bad = message([{ type: 'antivirus.scan.started', ts: 'yesterday', data: {} }]);
    expect(await s.ingest.ingest(deviceId, 'event', encodePayload(bad))).toBe('rejected');
    expect(await s.ingest.ingest(deviceId, 'event', encodePayload({ v: 1, id: ids(), ts: 'x', events: [] }))).toBe(
      'rejected',
    );
    expect(await s.ingest.ingest(deviceId, 'event', Buffer.from('not json'))).toBe('rejected');
    expect((await s.events.listForDevice(deviceId, page)).total).toBe(0);
  });

  it('lists by type, type prefix and time, newest first, a page at a time', async () => {
    const msg = message([
      started('2026-12-02T09:00:00Z', 'a'),
      progress('2026-12-02T09:00:10Z', 1),
      started('2026-12-02T11:00:00Z', 'b'),
    ]);
    await s.ingest.ingest(deviceId, 'event', encodePayload(msg));
    const byType = await s.events.listForDevice(deviceId, {
      ...page,
      order: 'desc',
      filter: eventFilter({ type: 'antivirus.scan.started' }, false),
    });
    expect(byType.rows.map((r) => (r.data as { scanId: string }).scanId)).toEqual(['b', 'a']);
    const since = await s.events.list({
      ...page,
      filter: eventFilter({ typePrefix: 'antivirus.', since: '2026-12-02T10:00:00Z' }, true),
    });
    expect(since.rows.map((r) => r.ts)).toEqual(['2026-12-02T11:00:00Z']);
    const second = await s.events.listForDevice(deviceId, { ...page, offset: 1, limit: 1 });
    expect(second).toMatchObject({ total: 3, rows: [{ type: 'antivirus.scan.progress' }] });
    await expect(s.events.listForDevice('01JD3K8Q2S4V6X8Z0A2C4E6G8J', page)).rejects.toThrow(/no device/);
  });

  it('says which filter is wrong', () => {
    expect(() => eventFilter({ deviceId: 'x' }, false)).toThrow(ApiError);
    expect(() => eventFilter({ since: 'last week' }, true)).toThrow(/ISO 8601/);
    expect(() => eventFilter({ colour: 'red' }, true)).toThrow(/unknown filter "colour"/);
  });
});
