import { createIdGenerator, encodePayload, type HealthSample } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrolTestDevice, FakeClock, testServices } from '../test-support.js';

type Services = Awaited<ReturnType<typeof testServices>>;
const ids = createIdGenerator();
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('DeviceHealthService: roll-ups, retention, series', () => {
  let clock: FakeClock;
  let s: Services;
  let deviceId: string;

  const sample = (ts: string, load1: number): HealthSample => ({
    ts,
    load1,
    load5: 0,
    load15: 0,
    cpuCount: 2,
    memTotalBytes: 100,
    memUsedBytes: 50,
    swapTotalBytes: 0,
    swapUsedBytes: 0,
    uptimeSeconds: 1,
    disks: [{ mount: '/', sizeBytes: 100, usedBytes: 10 }],
  });
  /** A batch of `n` samples a minute apart, ending now, sent as one message. */
  const batch = (n: number, load1 = 1) => {
    const now = clock.now().getTime();
    const samples = Array.from({ length: n }, (_, i) => sample(new Date(now - (n - 1 - i) * MIN).toISOString(), load1));
    return s.ingest.ingest(
      deviceId,
      'health',
      encodePayload({ v: 1, id: ids(), ts: clock.now().toISOString(), samples }),
    );
  };
  const count = async (table: 'health_samples' | 'health_hourly') =>
    Number(
      (
        await s.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst()
      )?.n,
    );

  beforeEach(async () => {
    clock = new FakeClock(new Date('2026-11-25T10:59:00Z').getTime());
    s = await testServices(clock);
    deviceId = await enrolTestDevice(s, { hostname: 'pc', machineId: 'm', dmiUuid: 'u', serial: 's' }, 'D');
  });
  afterEach(() => s.close());

  // SQLite answers synchronously: a loop of awaited queries is a chain of microtasks that holds the
  // process, sockets included, until it ends (9 s at 10,000 devices: docs/performance.md).
  it('lets the event loop run while it rolls up and evaluates the fleet', async () => {
    for (let h = 0; h < 40; h++) {
      await batch(1);
      clock.advance(HOUR);
    }
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await s.deviceHealth.housekeep();
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(10);
  });

  it('rolls up the hours that received samples, again when late samples arrive', async () => {
    await batch(60, 1); // 10:00 → 10:59
    expect(await s.deviceHealth.rollUpPending()).toBe(1);
    expect(await s.deviceHealth.rollUpPending()).toBe(0);
    let week = await s.deviceHealth.series(deviceId, '7d');
    expect(week.resolution).toBe('hour');
    expect(week.points).toMatchObject([{ ts: '2026-11-25T10:00:00.000Z', samples: 60, load1: 1, diskUsedPctMax: 10 }]);
    // Each mount point's use survives the roll-up (stored as JSON in health_hourly.disks_json).
    expect(week.points[0]?.disks).toEqual({ '/': 10 });

    // An outbox delivers samples of 09:58–10:01 late: both hours are rolled up (again).
    clock.advance(2 * HOUR);
    const late = ['09:58', '09:59', '10:00', '10:01'].map((t) => sample(`2026-11-25T${t}:30.000Z`, 5));
    await s.ingest.ingest(
      deviceId,
      'health',
      encodePayload({ v: 1, id: ids(), ts: clock.now().toISOString(), samples: late }),
    );
    expect(await s.deviceHealth.rollUpPending()).toBe(2);
    week = await s.deviceHealth.series(deviceId, '7d');
    expect(week.points.map((p) => [p.ts.slice(11, 13), p.samples, p.load1Max])).toEqual([
      ['09', 2, 5],
      ['10', 62, 5],
    ]);
  });

  it('24 h is raw samples; retention keeps raw 7 days and roll-ups 400 days', async () => {
    await batch(5);
    const day = await s.deviceHealth.series(deviceId, '24h');
    expect(day).toMatchObject({ resolution: 'raw', range: '24h' });
    expect(day.points).toHaveLength(5);
    await s.deviceHealth.housekeep();
    expect(await count('health_hourly')).toBe(1);

    clock.advance(7 * DAY + HOUR);
    await s.deviceHealth.housekeep();
    expect(await count('health_samples')).toBe(0);
    expect(await count('health_hourly')).toBe(1);
    expect((await s.deviceHealth.series(deviceId, '24h')).points).toEqual([]);
    expect((await s.deviceHealth.series(deviceId, '1y')).points).toHaveLength(1);

    clock.advance(393 * DAY);
    await s.deviceHealth.housekeep();
    expect(await count('health_hourly')).toBe(0);
  });

  it('refuses an unknown range and an unknown device', async () => {
    await expect(s.deviceHealth.series(deviceId, '2w')).rejects.toMatchObject({ status: 400 });
    await expect(s.deviceHealth.series('01ARZ3NDEKTSV4RRFFQ69G5FAV', '24h')).rejects.toMatchObject({ status: 404 });
  });
});
