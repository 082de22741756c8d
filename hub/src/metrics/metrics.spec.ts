import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enrolTestDevice, testServices } from '../test-support.js';
import { FleetGaugesRepository } from './fleet-gauges.repository.js';
import { Metrics } from './metrics.js';
import { MetricsAccess } from './metrics-access.js';

describe('Metrics exposition', () => {
  it('writes counters, cumulative histogram buckets and labelled gauges in the Prometheus text format', async () => {
    const m = new Metrics();
    m.describe('bascule_ingest_duration_seconds', 'ingest');
    m.inc('bascule_ingest_messages_total', { kind: 'health', outcome: 'stored' }, 2);
    m.observe('bascule_ingest_duration_seconds', { kind: 'health' }, 0.003, [0.001, 0.005, 0.1]);
    m.observe('bascule_ingest_duration_seconds', { kind: 'health' }, 0.05, [0.001, 0.005, 0.1]);
    m.observe('bascule_ingest_duration_seconds', { kind: 'health' }, 3, [0.001, 0.005, 0.1]);
    m.gauge('bascule_devices', () => [
      { labels: { state: 'online' }, value: 3 },
      { labels: { state: 'off"line' }, value: 1 },
    ]);
    m.gauge('bascule_rpc', async () => 7);
    const text = await m.render();
    expect(text).toContain('bascule_ingest_messages_total{kind="health",outcome="stored"} 2');
    expect(text).toContain('# TYPE bascule_ingest_duration_seconds histogram');
    expect(text).toContain('# HELP bascule_ingest_duration_seconds ingest');
    expect(text).toContain('bascule_ingest_duration_seconds_bucket{kind="health",le="0.001"} 0');
    expect(text).toContain('bascule_ingest_duration_seconds_bucket{kind="health",le="0.005"} 1');
    expect(text).toContain('bascule_ingest_duration_seconds_bucket{kind="health",le="0.1"} 2');
    expect(text).toContain('bascule_ingest_duration_seconds_bucket{kind="health",le="+Inf"} 3');
    expect(text).toContain('bascule_ingest_duration_seconds_count{kind="health"} 3');
    expect(text).toMatch(/bascule_ingest_duration_seconds_sum\{kind="health"\} 3\.05/);
    expect(text).toContain('bascule_devices{state="online"} 3');
    expect(text).toContain('bascule_devices{state="off\\"line"} 1');
    expect(text).toContain('bascule_rpc 7');
    // Every sample line is `name{labels} number`: what a scraper parses.
    for (const line of text
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$/);
    }
  });

  it('leaves out a gauge whose source fails, with a comment, and still renders the others', async () => {
    const m = new Metrics();
    m.gauge('bascule_broken', () => Promise.reject(new Error('database is locked')));
    m.gauge('bascule_fine', () => 1);
    const text = await m.render();
    expect(text).toContain('# bascule_broken not read: database is locked');
    expect(text).toContain('bascule_fine 1');
    expect(text).not.toMatch(/^bascule_broken /m);
  });
});

describe('MetricsAccess', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('lets the local machine in, and others only with the bearer token kept in a 0600 file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-metrics-'));
    dirs.push(dir);
    const access = new MetricsAccess(MetricsAccess.fileIn(dir));
    expect(access.allows('127.0.0.1', undefined)).toBe(true);
    expect(access.allows('::1', undefined)).toBe(true);
    expect(access.allows('::ffff:127.0.0.5', undefined)).toBe(true);
    expect(access.allows('::ffff:192.0.2.10', undefined)).toBe(false);
    expect(access.allows('192.0.2.10', undefined)).toBe(false);
    expect(access.allows('192.0.2.10', 'Bearer wrong')).toBe(false);
    const token = access.value();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fs.statSync(MetricsAccess.fileIn(dir)).mode & 0o777).toBe(0o600);
    expect(access.allows('192.0.2.10', `Bearer ${token}`)).toBe(true);
    // A second hub on the same data directory reads the same token.
    expect(new MetricsAccess(MetricsAccess.fileIn(dir)).allows('192.0.2.10', `bearer ${token}`)).toBe(true);
  });
});

describe('FleetGaugesRepository', () => {
  it('counts devices by state, rollouts by state, GLPI forwards waiting and configs not yet acknowledged', async () => {
    const services = await testServices();
    const db = services.database.db;
    const ids = [];
    for (const hostname of ['pc-1', 'pc-2', 'pc-3', 'pc-4']) ids.push(await enrolTestDevice(services, { hostname }));
    const [a, b, c, d] = ids as [string, string, string, string];
    await db.updateTable('devices').set({ online: 1 }).where('id', 'in', [a, b]).execute();

    const now = '2026-11-25T10:00:00.000Z';
    await db
      .insertInto('glpi_forwarding')
      .values([
        { device_id: a, pending: 1, queued_at: now, next_attempt_at: now, attempts: 0 },
        { device_id: b, pending: 0, queued_at: null, next_attempt_at: null, attempts: 0 },
      ])
      .execute();
    const config = (device_id: string, revision: number, refused_revision: number | null = null) => ({
      device_id,
      revision,
      hash: `h${revision}`,
      content: '{}',
      updated_at: now,
      refused_revision,
      refused_error: refused_revision === null ? null : 'refused',
    });
    // a: reported revision 3, holds 3 → done. b: reported 2, holds 3 → behind. c: refused 3 → not waited for.
    // d: never reported → not counted (no baseline to be behind of).
    await db
      .insertInto('device_configs')
      .values([config(a, 3), config(b, 3), config(c, 3, 3), config(d, 3)])
      .execute();
    const state = (device_id: string, module: string, config_revision: number) => ({
      device_id,
      module,
      policy_id: 'p',
      policy_revision: 1,
      config_revision,
      status: 'applied' as const,
      error: null,
      steps: '[]',
      observed: null,
      at: now,
      received_at: now,
    });
    await db
      .insertInto('device_module_states')
      .values([state(a, 'printers', 3), state(a, 'antivirus', 2), state(b, 'printers', 2), state(c, 'printers', 2)])
      .execute();
    await db
      .insertInto('policies')
      .values({
        id: 'p',
        module: 'printers',
        name: 'Imprimantes',
        description: '',
        priority: 1,
        latest_revision: 1,
        deployed_revision: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const rollout = (id: string, state: 'running' | 'halted') => ({
      id,
      policy_id: 'p',
      from_revision: null,
      to_revision: 1,
      state,
      plan: '[]',
      current_ring: 0,
      ring_started_at: now,
      reason: null,
      created_at: now,
      created_by: 'spec',
      updated_at: now,
    });
    await db
      .insertInto('rollouts')
      .values([rollout('r1', 'running'), rollout('r2', 'running'), rollout('r3', 'halted')])
      .execute();

    const fleet = new FleetGaugesRepository(db);
    expect(await fleet.devicesByState()).toEqual([
      { labels: { state: 'online' }, value: 2 },
      { labels: { state: 'offline' }, value: 2 },
    ]);
    expect(await fleet.rolloutsByState()).toEqual([
      { labels: { state: 'running' }, value: 2 },
      { labels: { state: 'paused' }, value: 0 },
      { labels: { state: 'halted' }, value: 1 },
      { labels: { state: 'completed' }, value: 0 },
      { labels: { state: 'rolled-back' }, value: 0 },
    ]);
    expect(await fleet.glpiForwardPending()).toBe(1);
    expect(await fleet.configsBehind()).toBe(1);
    await services.close();
  });
});
