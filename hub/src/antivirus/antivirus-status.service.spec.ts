import { createIdGenerator, encodePayload } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../http/http-errors.js';
import { enrolTestDevice, FakeClock, testServices } from '../test-support.js';
import { antivirusFilter } from './antivirus-status.controller.js';
import type { AntivirusFleetListQuery } from './antivirus-status.service.js';

type Services = Awaited<ReturnType<typeof testServices>>;
const ids = createIdGenerator();
const DAY = 86_400_000;
const EICAR = 'Win.Test.EICAR_HDB-1';

const started = (ts: string, scanId: string) => ({
  type: 'antivirus.scan.started',
  ts,
  data: { scanId, trigger: 'on-demand', paths: ['/home'] },
});
const progress = (ts: string, scanId: string, filesScanned: number, filesTotal?: number) => ({
  type: 'antivirus.scan.progress',
  ts,
  data: { scanId, filesScanned, ...(filesTotal !== undefined ? { filesTotal } : {}) },
});
const finished = (
  ts: string,
  scanId: string,
  result: 'clean' | 'infected' | 'error',
  detections: { path: string; action: string; quarantineId?: string }[] = [],
  errors: string[] = [],
) => ({
  type: 'antivirus.scan.finished',
  ts,
  data: {
    scanId,
    trigger: 'on-demand',
    result,
    startedAt: new Date(Date.parse(ts) - 4000).toISOString(),
    durationMs: 4000,
    engine: 'clamscan',
    paths: ['/home'],
    filesScanned: 40,
    detections: detections.map((d) => ({ signature: EICAR, ...d })),
    errors,
    exitCode: { clean: 0, infected: 1, error: 2 }[result],
  },
});
const restored = (ts: string, quarantineId: string, path: string) => ({
  type: 'antivirus.quarantine.restored',
  ts,
  data: { quarantineId, path, signature: EICAR, by: 'helpdesk1' },
});

describe('AntivirusStatusService (FakeClock, real SQLite)', () => {
  let clock: FakeClock;
  let s: Services;
  let a: string;
  let b: string;
  let c: string;
  const send = (deviceId: string, events: unknown[]) =>
    s.ingest.ingest(deviceId, 'event', encodePayload({ v: 1, id: ids(), ts: clock.now().toISOString(), events }));
  const report = (deviceId: string, observed: unknown) =>
    s.ingest.ingest(
      deviceId,
      'report',
      encodePayload({
        v: 1,
        id: ids(),
        ts: clock.now().toISOString(),
        revision: 1,
        modules: {
          antivirus: { policyId: 'p1', policyRevision: 1, status: 'applied', observed, at: clock.now().toISOString() },
        },
      }),
    );
  const inventory = (deviceId: string, products: unknown[]) =>
    s.database.db
      .insertInto('inventory_sections')
      .values({
        device_id: deviceId,
        section: 'antivirus',
        hash: 'a'.repeat(64),
        data: JSON.stringify({ products }),
        error: null,
        updated_at: clock.now().toISOString(),
      })
      .execute();
  const iso = (offsetMs = 0) => new Date(clock.now().getTime() + offsetMs).toISOString();
  const fleet = (over: Partial<AntivirusFleetListQuery> = {}) =>
    s.antivirus.fleet({ filter: {}, sort: 'hostname', order: 'asc', offset: 0, limit: 100, ...over });
  const activeAlerts = async (deviceId: string) =>
    (
      await s.alerts.list({
        filter: { states: ['open', 'acknowledged'], deviceId },
        sort: 'openedAt',
        order: 'asc',
        offset: 0,
        limit: 100,
      })
    ).rows;

  beforeEach(async () => {
    clock = new FakeClock();
    s = await testServices(clock);
    a = await enrolTestDevice(s, { hostname: 'pc-accueil-1' }, 'Accueil');
    b = await enrolTestDevice(s, { hostname: 'pc-compta-2' }, 'Finances');
    c = await enrolTestDevice(s, { hostname: 'pc-urba-3' }, 'Urbanisme');
  });
  afterEach(() => s.close());

  it('follows a scan from its start through its progress to its result, detections and quarantine', async () => {
    await send(a, [started(iso(), 's1'), progress(iso(2000), 's1', 10, 40)]);
    let st = await s.antivirus.status(a);
    expect(st.currentScan).toMatchObject({ scanId: 's1', filesScanned: 10, filesTotal: 40, finishedAt: null });
    expect(st.lastScan).toBeNull();

    await send(a, [
      progress(iso(3000), 's1', 30),
      finished(iso(4000), 's1', 'infected', [
        { path: '/home/agent/eicar.com', action: 'quarantined', quarantineId: 'q1' },
        { path: '/home/agent/eicar2.com', action: 'reported' },
      ]),
    ]);
    st = await s.antivirus.status(a);
    expect(st.currentScan).toBeNull();
    expect(st.lastScan).toMatchObject({
      scanId: 's1',
      result: 'infected',
      detections: 2,
      filesScanned: 40,
      exitCode: 1,
      engine: 'clamscan',
      paths: ['/home'],
    });
    expect(st.detections30d).toBe(2);
    expect(st.recentDetections.map((d) => [d.path, d.action, d.quarantineId])).toEqual([
      ['/home/agent/eicar.com', 'quarantined', 'q1'],
      ['/home/agent/eicar2.com', 'reported', null],
    ]);
    expect(st.quarantine).toMatchObject([{ id: 'q1', path: '/home/agent/eicar.com', signature: EICAR, scanId: 's1' }]);

    // A progress event re-sent after the end does not reopen the scan; a restore empties the quarantine.
    await send(a, [
      progress(iso(5000), 's1', 3),
      started(iso(), 's1'),
      restored(iso(6000), 'q1', '/home/agent/eicar.com'),
    ]);
    st = await s.antivirus.status(a);
    expect(st.currentScan).toBeNull();
    expect(st.lastScan?.filesScanned).toBe(40);
    expect(st.quarantine).toEqual([]);
    expect(st.recentDetections).toHaveLength(2);
  });

  it('stops showing a scan as running when its agent went silent (died mid-scan)', async () => {
    await send(a, [started(iso(), 'lost'), progress(iso(1000), 'lost', 5)]);
    expect((await s.antivirus.status(a)).currentScan?.scanId).toBe('lost');
    expect((await fleet()).rows[0]).toMatchObject({ hostname: 'pc-accueil-1', scanning: true });
    clock.advance(11 * 60_000);
    expect((await s.antivirus.status(a)).currentScan).toBeNull();
    expect((await fleet()).rows[0]).toMatchObject({ hostname: 'pc-accueil-1', scanning: false });
  });

  it('takes the signatures from the module report, else from the inventory, with their age', async () => {
    await inventory(a, [{ name: 'ClamAV', version: '1.4.3', signatureVersion: '27400', signatureDate: iso(-5 * DAY) }]);
    let st = await s.antivirus.status(a);
    expect(st).toMatchObject({
      installed: true,
      engineVersion: '1.4.3',
      signatureVersion: '27400',
      signatureAgeDays: 5,
      signatureOutdated: true,
      source: 'inventory',
    });

    await report(a, {
      installed: true,
      engineVersion: '1.4.3',
      signatureVersion: '27410',
      signatureDate: iso(-1 * DAY),
      daemonRunning: true,
      quarantine: [],
    });
    st = await s.antivirus.status(a);
    expect(st).toMatchObject({
      signatureVersion: '27410',
      signatureAgeDays: 1,
      signatureOutdated: false,
      daemonRunning: true,
      source: 'module',
    });

    const none = await s.antivirus.status(b);
    expect(none).toMatchObject({ installed: null, signatureDate: null, signatureAgeDays: null, lastScan: null });
    await expect(s.antivirus.status('01JD3K8Q2S4V6X8Z0A2C4E6G8J')).rejects.toThrow(/no device/);
  });

  it('lists the fleet one row per device, sorted and filtered in SQL', async () => {
    await inventory(a, [{ name: 'ClamAV', signatureVersion: '27400', signatureDate: iso(-5 * DAY) }]);
    await report(b, { installed: true, signatureDate: iso(-DAY), daemonRunning: false, quarantine: [] });
    await send(a, [finished(iso(-2 * DAY), 'old', 'infected', [{ path: '/home/x', action: 'reported' }])]);
    await send(a, [finished(iso(-40 * DAY), 'older', 'infected', [{ path: '/home/y', action: 'reported' }])]);
    await send(b, [finished(iso(-DAY), 'b1', 'clean'), started(iso(), 'b2')]);

    const all = await fleet();
    expect(all.total).toBe(3);
    expect(
      all.rows.map((r) => [r.hostname, r.lastResult, r.detections30d, r.signatureAgeDays, r.installed, r.scanning]),
    ).toEqual([
      ['pc-accueil-1', 'infected', 1, 5, true, false],
      ['pc-compta-2', 'clean', 0, 1, true, true],
      ['pc-urba-3', null, 0, null, null, false],
    ]);
    expect(all.rows[0]).toMatchObject({ lastScanId: 'old', signatureOutdated: true, signatureVersion: '27400' });

    const byAge = await fleet({ sort: 'signatureAgeDays', order: 'desc' });
    expect(byAge.rows.map((r) => r.hostname)).toEqual(['pc-accueil-1', 'pc-compta-2', 'pc-urba-3']);
    const byDetections = await fleet({ sort: 'detections30d', order: 'desc', limit: 1 });
    expect(byDetections).toMatchObject({ total: 3, rows: [{ hostname: 'pc-accueil-1' }] });

    const hostnames = async (filter: Record<string, unknown>) =>
      (await fleet({ filter: antivirusFilter(filter) })).rows.map((r) => r.hostname);
    expect(await hostnames({ outdated: true })).toEqual(['pc-accueil-1']);
    expect(await hostnames({ outdated: 'false' })).toEqual(['pc-compta-2']);
    expect(await hostnames({ detections: true })).toEqual(['pc-accueil-1']);
    expect(await hostnames({ lastResult: ['clean', 'none'] })).toEqual(['pc-compta-2', 'pc-urba-3']);
    expect(await hostnames({ installed: false })).toEqual(['pc-urba-3']);
    expect(await hostnames({ department: 'Finances' })).toEqual(['pc-compta-2']);
    expect(await hostnames({ q: 'URBA' })).toEqual(['pc-urba-3']);
    expect(await hostnames({ id: [c] })).toEqual(['pc-urba-3']);
  });

  it('says which filter is wrong', () => {
    expect(() => antivirusFilter({ lastResult: 'dirty' })).toThrow(ApiError);
    expect(() => antivirusFilter({ outdated: 'yes' })).toThrow(/true or false/);
    expect(() => antivirusFilter({ colour: 'red' })).toThrow(/unknown filter "colour"/);
  });

  it('opens a detection alert with the signatures and paths as the scan ends, resolves it on a clean scan', async () => {
    await send(a, [
      finished(iso(), 's1', 'infected', [{ path: '/home/agent/eicar.com', action: 'quarantined', quarantineId: 'q1' }]),
    ]);
    let alerts = await activeAlerts(a);
    expect(alerts).toMatchObject([
      {
        type: 'antivirus-detection',
        subject: 's1',
        message: `${EICAR} found in /home/agent/eicar.com`,
        detail: {
          count: 1,
          signatures: [EICAR],
          detections: [{ path: '/home/agent/eicar.com', action: 'quarantined' }],
        },
      },
    ]);

    // A new infection is a new alert (not hidden behind the first); the first one resolves.
    clock.advance(60_000);
    await send(a, [finished(iso(), 's2', 'infected', [{ path: '/home/agent/b.com', action: 'reported' }])]);
    alerts = await activeAlerts(a);
    expect(alerts.map((x) => x.subject)).toEqual(['s2']);

    clock.advance(60_000);
    await send(a, [finished(iso(), 's3', 'clean')]);
    expect(await activeAlerts(a)).toEqual([]);
  });

  it('opens one scan-error alert while scans fail, never counting an error as clean', async () => {
    await send(b, [finished(iso(), 'e1', 'error', [], ['/srv/absent: No such file or directory'])]);
    expect(await activeAlerts(b)).toMatchObject([
      {
        type: 'antivirus-scan-error',
        message: 'the antivirus scan failed: /srv/absent: No such file or directory',
        detail: { scanId: 'e1', exitCode: 2 },
      },
    ]);
    clock.advance(60_000);
    await send(b, [finished(iso(), 'e2', 'error', [], ['LibClamAV Error: cl_load(): No such file'])]);
    expect((await activeAlerts(b)).map((x) => x.detail.scanId)).toEqual(['e2']);
    clock.advance(60_000);
    await send(b, [finished(iso(), 'ok', 'clean')]);
    expect(await activeAlerts(b)).toEqual([]);
  });

  it('alerts on signatures older than 3 days when a report arrives and resolves when they are fresh', async () => {
    const observed = (ageMs: number) => ({
      installed: true,
      signatureDate: iso(-ageMs),
      daemonRunning: false,
      quarantine: [],
    });
    await report(c, observed(4 * DAY));
    // The report's after-work runs in the background: wait for it.
    await expect
      .poll(async () => (await activeAlerts(c)).map((x) => `${x.type}:${x.subject}`))
      .toEqual(['antivirus-outdated:ClamAV']);
    // A fresher observed date wins over an old inventory one.
    await inventory(c, [{ name: 'ClamAV', signatureDate: iso(-10 * DAY) }]);
    await report(c, observed(DAY));
    await expect.poll(async () => (await activeAlerts(c)).length).toBe(0);

    // And the hourly run sees signatures ageing without new data.
    clock.advance(3 * DAY);
    await s.alerts.evaluateAll();
    expect((await activeAlerts(c)).map((x) => x.detail.days)).toEqual([4]);
  });
});
