import { createIdGenerator, encodePayload, type HealthSample } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrolTestDevice, FakeClock, testServices } from '../test-support.js';

type Services = Awaited<ReturnType<typeof testServices>>;
const ids = createIdGenerator();
const DAY = 86_400_000;

const enrolled = (s: Services, hostname: string, department: string) => enrolTestDevice(s, { hostname }, department);

describe('AlertService (FakeClock, real SQLite)', () => {
  let clock: FakeClock;
  let s: Services;
  let a: string;
  let b: string;
  const heartbeat = (deviceId: string, over: Partial<HealthSample> = {}) => {
    const ts = clock.now().toISOString();
    const sample: HealthSample = {
      ts,
      load1: 0.1,
      load5: 0.1,
      load15: 0.1,
      cpuCount: 2,
      memTotalBytes: 8e9,
      memUsedBytes: 2e9,
      swapTotalBytes: 0,
      swapUsedBytes: 0,
      uptimeSeconds: 100,
      disks: [{ mount: '/', sizeBytes: 100e9, usedBytes: 50e9 }],
      ...over,
    };
    return s.ingest.ingest(deviceId, 'health', encodePayload({ v: 1, id: ids(), ts, samples: [sample] }));
  };
  const active = async (deviceId?: string) =>
    (
      await s.alerts.list({
        filter: { states: ['open', 'acknowledged'], ...(deviceId ? { deviceId } : {}) },
        sort: 'openedAt',
        order: 'asc',
        offset: 0,
        limit: 100,
      })
    ).rows;

  beforeEach(async () => {
    clock = new FakeClock();
    s = await testServices(clock);
    a = await enrolled(s, 'pc-compta-1', 'Finances');
    b = await enrolled(s, 'pc-urba-1', 'Urbanisme');
  });
  afterEach(() => s.close());

  it('opens one alert per (device, type, subject) as samples arrive, resolves it when the condition clears', async () => {
    const full = { disks: [{ mount: '/', sizeBytes: 100e9, usedBytes: 95e9 }], failedUnits: ['cups.service'] };
    await heartbeat(a, full);
    clock.advance(60_000);
    await heartbeat(a, full);
    const open = await active(a);
    expect(open.map((x) => `${x.type}:${x.subject}:${x.state}`)).toEqual([
      'disk-full:/:open',
      'failed-unit:cups.service:open',
    ]);
    expect(open[0]).toMatchObject({ hostname: 'pc-compta-1', department: 'Finances', detail: { usedPercent: 95 } });

    clock.advance(60_000);
    await heartbeat(a, { failedUnits: ['cups.service'] });
    expect((await active(a)).map((x) => x.type)).toEqual(['failed-unit']);
    const disk = (
      await s.alerts.list({ filter: { types: ['disk-full'] }, sort: 'openedAt', order: 'asc', offset: 0, limit: 10 })
    ).rows[0];
    expect(disk).toMatchObject({ state: 'resolved', resolvedAt: clock.now().toISOString() });

    // The same condition later is a new alert; the resolved one stays in the history.
    clock.advance(60_000);
    await heartbeat(a, full);
    const history = await s.alerts.list({
      filter: { types: ['disk-full'] },
      sort: 'openedAt',
      order: 'asc',
      offset: 0,
      limit: 10,
    });
    expect(history.rows.map((x) => x.state)).toEqual(['resolved', 'open']);
  });

  it('acknowledges an open alert (audited), keeps it acknowledged while the condition holds, refuses twice', async () => {
    await heartbeat(b, { failedUnits: ['snapd.seeded.service'] });
    const [alert] = await active(b);
    if (!alert) throw new Error('no alert');
    const acked = await s.alerts.acknowledge(alert.id, 'helpdesk1');
    expect(acked).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: 'helpdesk1',
      acknowledgedAt: clock.now().toISOString(),
    });
    await expect(s.alerts.acknowledge(alert.id, 'helpdesk1')).rejects.toMatchObject({ status: 409 });
    const audit = await s.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'alert.acknowledge')
      .execute();
    expect(audit).toMatchObject([{ actor: 'helpdesk1', target: alert.id }]);
    clock.advance(60_000);
    await heartbeat(b, { failedUnits: ['snapd.seeded.service'] });
    expect((await active(b)).map((x) => x.state)).toEqual(['acknowledged']);
    await heartbeat(b, { failedUnits: [] });
    expect(await active(b)).toEqual([]);
    await expect(s.alerts.acknowledge('01ARZ3NDEKTSV4RRFFQ69G5FAV', 'x')).rejects.toMatchObject({ status: 404 });
  });

  it('offline for more than 3 days, reboot required for more than 7 days (since first seen): hourly evaluation', async () => {
    await heartbeat(a);
    await s.database.db
      .insertInto('inventory_sections')
      .values({
        device_id: b,
        section: 'software',
        hash: 'h',
        data: JSON.stringify({ packages: [], rebootRequired: { required: true, packages: ['linux-image-6.8'] } }),
        error: null,
        updated_at: clock.now().toISOString(),
      })
      .execute();
    await s.deviceHealth.housekeep();
    expect(await active()).toEqual([]);
    clock.advance(3 * DAY + 3_600_000);
    await heartbeat(b); // b is seen, a is not
    await s.deviceHealth.housekeep();
    expect((await active()).map((x) => `${x.hostname}:${x.type}`)).toEqual(['pc-compta-1:offline']);
    clock.advance(5 * DAY);
    await heartbeat(b);
    await s.alerts.evaluateAll();
    expect((await active(b)).map((x) => x.type)).toEqual(['reboot-required']);
    // The device reboots: the flag goes, the alert resolves, the memory of "since" is forgotten.
    await s.database.db
      .updateTable('inventory_sections')
      .set({ data: JSON.stringify({ packages: [] }) })
      .where('device_id', '=', b)
      .execute();
    await s.devices.setOnline(a, true, clock.now().toISOString());
    await s.alerts.evaluateAll();
    expect(await active()).toEqual([]);
    expect(await s.database.db.selectFrom('alert_conditions').selectAll().execute()).toEqual([]);
  });

  it('lists with react-admin filters and the fleet overview counts in SQL', async () => {
    await heartbeat(a, { failedUnits: ['x.service', 'y.service'] });
    await heartbeat(b, { failedUnits: ['x.service'] });
    const byDept = await s.alerts.list({
      filter: { department: 'Urbanisme' },
      sort: 'hostname',
      order: 'asc',
      offset: 0,
      limit: 10,
    });
    expect(byDept.total).toBe(1);
    await s.database.db
      .updateTable('devices')
      .set({ os: 'Zorin OS 17.2', model: 'Dell OptiPlex 7010', online: 1 })
      .execute();
    await s.database.db.updateTable('devices').set({ os: 'Ubuntu 24.04' }).where('id', '=', b).execute();
    const [first] = (
      await s.alerts.list({ filter: { deviceId: a }, sort: 'openedAt', order: 'asc', offset: 0, limit: 1 })
    ).rows;
    await s.alerts.acknowledge(first?.id ?? '', 'admin');
    const o = await s.fleet.overview();
    expect(o.devices).toEqual({ total: 2, online: 2, offline: 0 });
    expect(o.byOs).toEqual([
      { os: 'Ubuntu 24.04', count: 1 },
      { os: 'Zorin OS 17.2', count: 1 },
    ]);
    expect(o.byModel).toEqual([{ model: 'Dell OptiPlex 7010', count: 2 }]);
    expect(o.alertsByType).toEqual([{ type: 'failed-unit', open: 2, acknowledged: 1, devices: 2 }]);
    expect((await s.fleet.overview('Finances')).alertsByType).toEqual([
      { type: 'failed-unit', open: 1, acknowledged: 1, devices: 1 },
    ]);
  });
});
