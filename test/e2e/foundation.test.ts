import fs from 'node:fs';
import path from 'node:path';
import { createIdGenerator, encodePayload, INVENTORY_SECTIONS } from '@bascule/protocol';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAs, readIdentity } from './support/device-client.js';
import {
  AGENT_BIN,
  AgentProcess,
  type ApiClient,
  adminClient,
  eventually,
  type HubProcess,
  runNode,
  startAgent,
  startHub,
  tempDir,
} from './support/index.js';

interface Device {
  id: string;
  hostname: string;
  department: string;
  online: boolean;
  os: string | null;
  lastHeartbeat: { ts: string } | null;
}

const ids = createIdGenerator();

describe('foundation: agent → MQTT over TLS → hub → SQLite → REST', () => {
  let hub: HubProcess;
  let api: ApiClient;
  let agentA: AgentProcess;
  let agentB: AgentProcess;

  const device = async (id: string) => (await api.get<Device>(`/api/v1/devices/${id}`)).body;
  const samples = (deviceId: string) => {
    const db = new Database(path.join(hub.dataDir, 'bascule.db'), { readonly: true });
    try {
      return db.prepare('select message_id, ts from health_samples where device_id = ? order by ts').all(deviceId) as {
        message_id: string;
        ts: string;
      }[];
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    hub = await startHub();
    api = await adminClient(hub);
    agentA = await startAgent(hub, { department: 'Finances' });
    agentB = await startAgent(hub, { department: 'Urbanisme' });
  });

  afterAll(async () => {
    await agentA?.stop();
    await agentB?.stop();
    await hub?.stop();
  });

  it('enrols agents and lists them with their department, online', async () => {
    const list = await eventually(async () => {
      const r = await api.get<Device[]>('/api/v1/devices?sort=["department","ASC"]');
      return r.body.length === 2 && r.body.every((d) => d.online) ? r : null;
    }, 'both devices online');
    expect(list.headers['content-range']).toBe('devices 0-1/2');
    expect(list.body.map((d) => d.department)).toEqual(['Finances', 'Urbanisme']);
    expect(list.body[0]?.id).toBe(agentA.deviceId);
    const filtered = await api.get<Device[]>(
      `/api/v1/devices?filter=${encodeURIComponent('{"department":"Urbanisme"}')}`,
    );
    expect(filtered.body.map((d) => d.id)).toEqual([agentB.deviceId]);
    const status = await agentA.status();
    expect(status).toMatchObject({ deviceId: agentA.deviceId, connected: true });
  });

  it('shows the inventory through the REST API', async () => {
    const inv = await eventually(async () => {
      const r = await api.get<Record<string, { data?: Record<string, unknown> }>>(
        `/api/v1/devices/${agentA.deviceId}/inventory`,
      );
      return r.body.os && r.body.hardware && r.body.network && r.body.software ? r.body : null;
    }, 'inventory sections');
    expect(inv.os?.data).toMatchObject({ platform: 'linux' });
    expect((inv.software?.data as { packages: unknown[] } | undefined)?.packages.length ?? 0).toBeGreaterThan(100); // dpkg on Debian
    expect((await device(agentA.deviceId)).os).toMatch(/Debian/);
  });

  it('updates the heartbeat', async () => {
    const first = await eventually(async () => (await device(agentA.deviceId)).lastHeartbeat, 'a heartbeat');
    const next = await eventually(async () => {
      const hb = (await device(agentA.deviceId)).lastHeartbeat;
      return hb && hb.ts > first.ts ? hb : null;
    }, 'a newer heartbeat');
    expect(next.ts > first.ts).toBe(true);
  });

  it('comes back after the agent is killed and restarted', async () => {
    await agentA.kill();
    await eventually(async () => !(await device(agentA.deviceId)).online, 'device offline after kill');
    agentA.start();
    await eventually(async () => (await device(agentA.deviceId)).online, 'device online after restart');
    const before = samples(agentA.deviceId).length;
    await eventually(async () => samples(agentA.deviceId).length > before, 'heartbeats after restart');
  });

  it('delivers exactly once what the agent published while the hub was down', async () => {
    await hub.stop();
    const downFrom = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 6_000));
    const downTo = new Date().toISOString();
    await hub.start();
    api = await adminClient(hub);
    await eventually(async () => (await device(agentA.deviceId)).online, 'device back online', 60_000);
    const during = await eventually(
      async () => {
        const s = samples(agentA.deviceId).filter((x) => x.ts > downFrom && x.ts < downTo);
        return s.length >= 4 ? s : null;
      },
      'heartbeats taken while the hub was down',
      60_000,
    );
    expect(during.length).toBeGreaterThanOrEqual(4);
    const all = samples(agentA.deviceId);
    expect(new Set(all.map((s) => s.ts)).size).toBe(all.length); // nothing stored twice
    const ordered = [...during].sort((a, b) => a.message_id.localeCompare(b.message_id));
    expect(ordered.map((s) => s.ts)).toEqual(during.map((s) => s.ts)); // ids and times agree: kept in order
  });

  it("keeps device B out of device A's topics", async () => {
    await agentB.stop(); // its daemon would otherwise take this client id over
    const c = await connectAs(readIdentity(agentB.stateDir));
    // SUBACK 0x80 for each: mqtt.js turns a refused subscription into an error
    for (const filter of [
      `bascule/v1/d/${agentA.deviceId}/config`,
      `bascule/v1/d/${agentA.deviceId}/#`,
      'bascule/#',
      '#',
    ]) {
      await expect(c.subscribeAsync(filter), filter).rejects.toThrow(/Subscribe error/);
    }
    const own = await c.subscribeAsync(`bascule/v1/d/${agentB.deviceId}/config`, { qos: 1 });
    expect(own[0]?.qos).toBe(1 as never);

    const beforeA = samples(agentA.deviceId).length;
    const forged = encodePayload({ v: 1, id: ids(), ts: new Date().toISOString(), samples: [] });
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    c.publish(`bascule/v1/d/${agentA.deviceId}/health`, forged, { qos: 1 });
    await closed; // the broker cuts a device that publishes outside its prefix
    expect(samples(agentA.deviceId).length).toBeGreaterThanOrEqual(beforeA);
    expect(samples(agentA.deviceId).some((s) => s.message_id === JSON.parse(forged.toString()).id)).toBe(false);

    // a device cannot connect as another one, nor with a wrong secret
    const idB = readIdentity(agentB.stateDir);
    await expect(connectAs({ ...idB, deviceId: agentA.deviceId })).rejects.toThrow(
      /Bad username or password|Not authorized/i,
    );
    await expect(connectAs({ ...idB, secret: 'not-the-secret' })).rejects.toThrow(/Bad username or password/i);
    agentB.start();
  });

  it('refuses malformed, oversized and unknown-topic messages and keeps serving everyone else', async () => {
    await agentB.stop();
    const idB = readIdentity(agentB.stateDir);
    const c = await connectAs(idB);
    const base = `bascule/v1/d/${idB.deviceId}`;
    await c.publishAsync(`${base}/health`, Buffer.from('{"this is": not json'), { qos: 1 });
    await c.publishAsync(`${base}/health`, encodePayload({ v: 1, id: 'x', samples: 'no' }), { qos: 1 });
    await c.publishAsync(`${base}/inventory`, Buffer.alloc(1024 * 1024 + 10, 0x7b), { qos: 1 });
    await c.publishAsync(`${base}/no-such-topic`, encodePayload({ v: 1 }), { qos: 1 });
    await c.endAsync();
    const reasons = hub.proc
      .logs()
      .filter((l) => l.msg === 'device message refused' || l.msg === 'device publish refused');
    expect(reasons.map((l) => l.reason).join('\n')).toMatch(
      /not valid JSON[\s\S]*schema[\s\S]*bytes[\s\S]*unknown topic/,
    );
    // A's data flows on and B's inventory is intact
    const before = samples(agentA.deviceId).length;
    await eventually(async () => samples(agentA.deviceId).length > before, 'A still ingested');
    const inv = await api.get<Record<string, unknown>>(`/api/v1/devices/${idB.deviceId}/inventory`);
    expect(Object.keys(inv.body).sort()).toEqual([...INVENTORY_SECTIONS].sort());
    agentB.start();
  });

  it('refuses wrong, expired and used-up tokens, and a wrong CA hash', async () => {
    const enroll = (token: string, caHash: string) =>
      runNode([
        AGENT_BIN,
        'enroll',
        '--hub',
        hub.url,
        '--token',
        token,
        '--ca-hash',
        caHash,
        '--state',
        tempDir('agent'),
      ]);
    const wrong = await enroll('bt_this_token_does_not_exist', hub.caHash);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout + wrong.stderr).toMatch(/not recognised/);

    const short = await hub.createToken('RH', { expires: '1s' });
    await new Promise((r) => setTimeout(r, 1_500));
    const expired = await enroll(short.token, hub.caHash);
    expect(expired.code).not.toBe(0);
    expect(expired.stdout + expired.stderr).toMatch(/expired/);

    const once = await hub.createToken('RH', { uses: 1 });
    expect((await enroll(once.token, hub.caHash)).code).toBe(0);
    const again = await enroll(once.token, hub.caHash);
    expect(again.code).not.toBe(0);
    expect(again.stdout + again.stderr).toMatch(/already used/);

    const t = await hub.createToken('RH');
    const badHash = `sha256:${'0'.repeat(64)}`;
    const pinned = await enroll(t.token, badHash);
    expect(pinned.code).not.toBe(0);
    expect(pinned.stdout + pinned.stderr).toMatch(/ca-hash|CA hash|does not match/i);
    // the token was not spent on a hub the agent refused to trust
    expect((await enroll(t.token, hub.caHash)).code).toBe(0);
  });

  it('enrols with --token-file, keeping the token out of the process list', async () => {
    const t = await hub.createToken('RH');
    const dir = tempDir('token');
    const file = path.join(dir, 'enroll.token');
    fs.writeFileSync(file, `hub=${hub.url}\ntoken=${t.token}\nca-hash=${t.caHash}\n`, { mode: 0o600 });
    const state = tempDir('agent');
    const r = await runNode([
      AGENT_BIN,
      'enroll',
      '--hub',
      hub.url,
      '--token-file',
      file,
      '--ca-hash',
      t.caHash,
      '--state',
      state,
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const deviceId = readIdentity(state).deviceId;
    expect((await device(deviceId)).department).toBe('RH');
  });

  it('answers invalid REST input with a 4xx and a message', async () => {
    const bad = await api.request('POST', '/api/v1/enroll', undefined, '{"token": 12');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ message: 'request body is not valid JSON' });
    const invalid = await api.post<{ message: string; errors: Record<string, string> }>('/api/v1/enroll', {
      token: 'x',
    });
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body.errors)).toEqual(expect.arrayContaining(['token', 'identity']));
    const big = await api.post('/api/v1/enroll', { token: 'x'.repeat(2 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect((await api.get('/api/v1/devices?sort=["secret_hash","ASC"]')).status).toBe(400);
    expect((await api.get('/api/v1/devices/nope')).status).toBe(404);
    expect((await api.get('/api/v1/health')).status).toBe(200);
  });

  it('explains a corrupt agent state file instead of crashing', async () => {
    const dir = tempDir('agent-corrupt');
    fs.writeFileSync(path.join(dir, 'identity.json'), '{"deviceId": "01J', { mode: 0o600 });
    const r = await runNode([AGENT_BIN, 'run', '--state', dir]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/identity\.json/);
    expect(r.stdout + r.stderr).toMatch(/enrol/);
  });
});
