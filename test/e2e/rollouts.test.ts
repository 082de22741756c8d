import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AgentProcess,
  type ApiClient,
  adminClient,
  eventually,
  type HubProcess,
  startAgent,
  startHub,
  tempDir,
} from './support/index.js';

interface Compliance {
  devices: number;
  applied: number;
  failed: number;
  pending: number;
  rows: { deviceId: string; status: string; policyRevision: number; error: string | null }[];
}
interface Rollout {
  id: string;
  state: string;
  reason: string | null;
  currentRing: number;
  rings: { devices: number; failed: number; reached: boolean }[];
  failures: { deviceId: string; error: string | null }[];
}

/**
 * A real hub, four real agents (separate state directories on this machine, so the hub flags them
 * as clones: fine) and one private cupsd the agents' printers module talks to. Revision 1 makes a
 * raw queue (applies); revision 2 asks for a PPD that does not exist (lpadmin fails on every device).
 */
const canRunCups = process.getuid?.() === 0 && fs.existsSync('/usr/sbin/cupsd') && fs.existsSync('/usr/sbin/lpadmin');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** cupsd with its own configuration on a loopback port (recipe: ../shared/test-rigs.md). */
async function startCupsd(dir: string) {
  const port = await freePort();
  for (const d of ['etc', 'spool/tmp', 'cache', 'state', 'log']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'etc/cupsd.conf'),
    [
      'LogLevel warn',
      `Listen 127.0.0.1:${port}`,
      'Browsing No',
      'WebInterface No',
      'DefaultAuthType None',
      '<Location />',
      'Order allow,deny',
      'Allow all',
      '</Location>',
      '<Policy default>',
      '<Limit All>',
      'Order deny,allow',
      'Allow all',
      '</Limit>',
      '</Policy>',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(dir, 'etc/cups-files.conf'),
    [
      `ServerRoot ${dir}/etc`,
      `RequestRoot ${dir}/spool`,
      `TempDir ${dir}/spool/tmp`,
      `CacheDir ${dir}/cache`,
      `StateDir ${dir}/state`,
      `AccessLog ${dir}/log/access_log`,
      `ErrorLog ${dir}/log/error_log`,
      `PageLog ${dir}/log/page_log`,
      'Sandboxing Relaxed',
      'User lp',
      'Group lp',
      'SystemGroup root',
      '',
    ].join('\n'),
  );
  execFileSync('chown', ['-R', 'root:lp', ...['etc', 'spool', 'cache', 'state'].map((d) => path.join(dir, d))]);
  fs.chmodSync(path.join(dir, 'spool'), 0o710);
  fs.chmodSync(path.join(dir, 'spool/tmp'), 0o1770);
  fs.chmodSync(dir, 0o755);
  const child = spawn('cupsd', ['-f', '-c', `${dir}/etc/cupsd.conf`, '-s', `${dir}/etc/cups-files.conf`], {
    stdio: 'ignore',
  });
  const server = `127.0.0.1:${port}`;
  await eventually(
    async () => execFileSync('lpstat', ['-h', server, '-r'], { encoding: 'utf8' }).includes('is running'),
    'cupsd',
    10_000,
  );
  return { server, stop: () => child.kill('SIGTERM') };
}

const printer = (driver: Record<string, unknown>) => ({
  printers: [{ name: 'Bascule-Accueil', uri: 'socket://127.0.0.1:9', driver }],
});

describe.skipIf(!canRunCups)('staged rollouts with real agents', () => {
  let cups: Awaited<ReturnType<typeof startCupsd>>;
  let hub: HubProcess;
  let api: ApiClient;
  const agents: AgentProcess[] = [];
  let policyId: string;

  const compliance = async () => (await api.get<Compliance>(`/api/v1/policies/${policyId}/compliance`)).body;
  const deviceRevision = async (a: AgentProcess) =>
    (await api.get<{ modules: { printers?: { policyRevision: number } } }>(`/api/v1/devices/${a.deviceId}/config`)).body
      .modules.printers?.policyRevision;

  beforeAll(async () => {
    cups = await startCupsd(tempDir('cups'));
    process.env.CUPS_SERVER = cups.server; // inherited by the agents and their apply processes
    hub = await startHub();
    api = await adminClient(hub);
    for (let i = 0; i < 4; i++) agents.push(await startAgent(hub, { department: 'Accueil', heartbeatSeconds: 30 }));
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await hub?.stop();
    cups?.stop();
    delete process.env.CUPS_SERVER;
  });

  it('applies revision 1 on every device, then halts revision 2 at the canary ring and rolls it back', async () => {
    for (const [name, members] of [
      ['IT canary', [agents[0]]],
      ['beta testers', [agents[1]]],
    ] as const) {
      const g = await api.post<{ id: string }>('/api/v1/groups', { name });
      expect(g.status).toBe(201);
      const m = await api.post(`/api/v1/groups/${g.body.id}/members`, { deviceIds: members.map((a) => a?.deviceId) });
      expect(m.status).toBe(200);
    }
    const created = await api.post<{ id: string }>('/api/v1/policies', {
      name: 'Accueil printers',
      module: 'printers',
      document: printer({ kind: 'raw' }),
    });
    expect(created.status).toBe(201);
    policyId = created.body.id;
    expect((await api.request('PUT', `/api/v1/policies/${policyId}/assignments`, [{ kind: 'everyone' }])).status).toBe(
      200,
    );
    await eventually(async () => (await compliance()).applied === 4, 'revision 1 applied by the four agents', 60_000);

    // Revision 2 is saved for a rollout only: no device gets it yet.
    const saved = await api.request<{ latestRevision: number; deployedRevision: number }>(
      'PUT',
      `/api/v1/policies/${policyId}`,
      {
        document: printer({ kind: 'ppd', model: 'bascule-missing-model.ppd' }),
        deploy: false,
      },
    );
    expect(saved.body).toMatchObject({ latestRevision: 2, deployedRevision: 1 });
    const started = await api.post<Rollout>('/api/v1/rollouts', {
      policyId,
      revision: 2,
      plan: {
        rings: [
          { kind: 'group', group: 'IT canary' },
          { kind: 'group', group: 'beta testers' },
          { kind: 'percent', percent: 50 },
          { kind: 'percent', percent: 100 },
        ],
        soakMinutes: 0,
        maxFailureRate: 0.2,
      },
    });
    expect(started.status).toBe(201);
    const rolloutId = started.body.id;

    const halted = await eventually(
      async () => {
        const r = (await api.get<Rollout>(`/api/v1/rollouts/${rolloutId}`)).body;
        return r.state === 'halted' ? r : undefined;
      },
      'the rollout halted by the canary failure',
      60_000,
    );
    expect(halted.currentRing).toBe(0);
    expect(halted.reason).toMatch(/ring 1 \(group IT canary\): 1 of 1 devices failed/);
    expect(halted.failures).toEqual([
      {
        deviceId: agents[0]?.deviceId,
        error: expect.any(String),
        ring: 0,
        hostname: expect.any(String),
        status: 'failed',
        at: expect.any(String),
      },
    ]);
    expect(halted.failures[0]?.error).toMatch(/lpadmin|PPD|model/i);
    // Devices outside the canary ring kept revision 1 and stay compliant.
    expect(await Promise.all(agents.map(deviceRevision))).toEqual([2, 1, 1, 1]);
    const during = await compliance();
    expect(during.rows.filter((r) => r.status === 'applied').map((r) => r.policyRevision)).toEqual([1, 1, 1]);

    const rolled = await api.post<Rollout>(`/api/v1/rollouts/${rolloutId}/rollback`);
    expect(rolled.body.state).toBe('rolled-back');
    expect(await Promise.all(agents.map(deviceRevision))).toEqual([1, 1, 1, 1]);
    await eventually(async () => (await compliance()).applied === 4, 'revision 1 applied again by the canary', 60_000);
  });

  it('shows the fleet at /metrics: devices, rollouts, queues, ingest latency and messages out', async () => {
    const scrape = await api.get<string>('/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const text = scrape.body;
    const sample = (series: string) =>
      Number(new RegExp(`^${series.replace(/[{}+.]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(sample('bascule_mqtt_connected_clients')).toBe(4);
    expect(sample('bascule_devices{state="online"}')).toBe(4);
    expect(sample('bascule_rollouts{state="rolled-back"}')).toBe(1);
    expect(sample('bascule_queue_depth{queue="rpc_pending"}')).toBe(0);
    expect(sample('bascule_queue_depth{queue="config_behind"}')).toBe(0);
    // revision 1 to the four devices, revision 2 to the canary, then revision 1 again to the canary.
    expect(sample('bascule_mqtt_messages_published_total{kind="config"}')).toBeGreaterThanOrEqual(6);
    // Every report was stored before its PUBACK, and timed.
    expect(sample('bascule_ingest_duration_seconds_count{kind="report"}')).toBeGreaterThanOrEqual(6);
    expect(sample('bascule_ingest_duration_seconds_bucket{kind="report",le="+Inf"}')).toBe(
      sample('bascule_ingest_duration_seconds_count{kind="report"}'),
    );
    expect(sample('bascule_process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
  });
});
