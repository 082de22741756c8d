import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresCluster } from '../rigs/postgres-cluster.mjs';
import {
  AgentProcess,
  type ApiClient,
  adminClient,
  eventually,
  freePort,
  HubProcess,
  Proc,
  tempDir,
} from './support/index.js';

interface Compliance {
  rows: { deviceId: string; policyRevision: number; status: string }[];
}

/** A private redis-server on a free loopback port, its files in a temporary directory. */
async function startRedis(): Promise<{ url: string; proc: Proc }> {
  const port = await freePort();
  const proc = new Proc(
    spawn(
      '/usr/bin/redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', tempDir('redis'), '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  );
  await proc.waitFor(() => proc.stdout.some((l) => l.includes('Ready to accept connections')), 'redis-server ready');
  return { url: `redis://127.0.0.1:${port}/0`, proc };
}

/**
 * The hubs' data directories. `sqlite`: one directory for both (same CA, same SQLite file: hubs on one
 * machine). `postgres`: a directory each, as on two machines (docs/deployment.md): the second gets a copy
 * of the first's PKI, secrets and metrics token, and both name the same PostgreSQL database in
 * DATA/database-url (hub A also with `--database-url`), from a throwaway cluster of Debian's package.
 */
type PostgresCluster = Awaited<ReturnType<typeof startPostgresCluster>>;

async function dataDirectories(store: 'sqlite' | 'postgres', cluster?: PostgresCluster) {
  const dirA = tempDir(`cluster-${store}-a`);
  if (store === 'sqlite' || !cluster) return { dirA, dirB: dirA, flagsA: [], afterFirstStart: () => {} };
  await cluster.query('create database bascule');
  const url = cluster.urlOf('bascule');
  const dirB = tempDir(`cluster-${store}-b`);
  for (const dir of [dirA, dirB]) fs.writeFileSync(path.join(dir, 'database-url'), `${url}\n`, { mode: 0o600 });
  const afterFirstStart = () => {
    for (const shared of ['tls', 'secrets', 'metrics-token']) {
      if (!fs.existsSync(path.join(dirA, shared))) continue; // the metrics token is made at the first scrape from afar
      fs.cpSync(path.join(dirA, shared), path.join(dirB, shared), { recursive: true, preserveTimestamps: true });
    }
  };
  return { dirA, dirB, flagsA: ['--database-url', url], afterFirstStart };
}

/**
 * Several hubs sharing one fleet (issue 9, "Past one machine"): a real redis-server, two real hub
 * processes clustered through it, on one SQLite file or on PostgreSQL, and one real agent enrolled with
 * both MQTT URLs. A policy saved through hub B reaches the agent connected to hub A; hub A is killed
 * (SIGKILL), the agent moves to hub B by itself, and the next change saved through B arrives. On the way,
 * an RPC asked on hub B (inventory refresh) is answered by the agent connected to hub A.
 */
describe.each(['sqlite', 'postgres'] as const)('two hubs clustered through Redis, on %s', (store) => {
  let postgres: PostgresCluster | undefined;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let hubA: HubProcess;
  let hubB: HubProcess;
  let apiB: ApiClient;
  let agent: AgentProcess;

  /** Waits until the agent reported `revision` of the policy applied, read through hub B. */
  const applied = (policyId: string, revision: number) =>
    eventually(
      async () => {
        const c = await apiB.get<Compliance>(`/api/v1/policies/${policyId}/compliance`);
        const row = c.body.rows.find((r) => r.deviceId === agent.deviceId);
        return row?.policyRevision === revision && row.status === 'applied';
      },
      `revision ${revision} applied by the agent`,
      60_000,
    );

  /** The hub whose broker holds the agent's connection, from the agent's own log. */
  const agentConnectedTo = () =>
    agent.proc
      ?.logs()
      .filter((l) => l.msg === 'mqtt: connected to the hub')
      .at(-1)?.url as string | undefined;

  beforeAll(async () => {
    redis = await startRedis();
    if (store === 'postgres') postgres = await startPostgresCluster();
    const dirs = await dataDirectories(store, postgres);
    const [mqttA, mqttB] = [await freePort(), await freePort()];
    const urls = `mqtts://127.0.0.1:${mqttA},mqtts://127.0.0.1:${mqttB}`;
    const flags = ['--redis-url', redis.url, '--mqtt-public-urls', urls];
    hubA = new HubProcess(dirs.dirA, [...flags, ...dirs.flagsA]);
    hubA.mqttPort = mqttA;
    await hubA.start(); // first: creates the CA, the database and the first admin
    dirs.afterFirstStart();
    hubB = new HubProcess(dirs.dirB, flags);
    hubB.mqttPort = mqttB;
    hubB.adminPassword = hubA.adminPassword;
    await hubB.start();
    await adminClient(hubA); // replaces the one-time password
    apiB = await adminClient(hubB);
    agent = await new AgentProcess(hubA, tempDir('agent'), 1).enroll('Informatique');
    agent.start();
    await agent.proc?.waitFor(agentConnectedTo, 'the agent connected');
  }, 90_000);

  afterAll(async () => {
    await agent?.stop();
    await hubB?.stop();
    await hubA?.stop();
    await redis?.proc.stop();
    await postgres?.stop();
  });

  it('pushes a config saved through hub B to the agent on hub A, and keeps going when hub A is killed', async () => {
    expect(agentConnectedTo()).toBe(`mqtts://127.0.0.1:${hubA.mqttPort}`);
    const device = await apiB.get<{ online: boolean }>(`/api/v1/devices/${agent.deviceId}`);
    expect(device.body.online).toBe(true);

    const created = await apiB.post<{ id: string }>('/api/v1/policies', {
      name: 'Terminal à distance (grappe)',
      module: 'remote-shell',
      document: { consent: 'always' },
    });
    expect(created.status).toBe(201);
    const policyId = created.body.id;
    const assigned = await apiB.request('PUT', `/api/v1/policies/${policyId}/assignments`, [{ kind: 'everyone' }]);
    expect(assigned.status).toBe(200);
    await applied(policyId, 1);
    // Still on hub A: the config crossed from B to A through Redis, and the report came back.
    expect(agentConnectedTo()).toBe(`mqtts://127.0.0.1:${hubA.mqttPort}`);

    // An RPC asked on hub B: the request crosses to A, the agent's answer arrives on A and crosses back.
    const refresh = await apiB.post<{ deviceId: string; deferred: boolean }>(
      `/api/v1/devices/${agent.deviceId}/inventory/refresh`,
    );
    expect(refresh.status).toBe(202);
    expect(refresh.body).toMatchObject({ deviceId: agent.deviceId, deferred: false });

    await hubA.kill();
    await agent.proc?.waitFor(
      () => agentConnectedTo() === `mqtts://127.0.0.1:${hubB.mqttPort}`,
      'the agent reconnected to hub B',
      60_000,
    );
    const changed = await apiB.request('PUT', `/api/v1/policies/${policyId}`, { document: { enabled: false } });
    expect(changed.status).toBe(200);
    await applied(policyId, 2);
    const after = await apiB.get<{ online: boolean }>(`/api/v1/devices/${agent.deviceId}`);
    expect(after.body.online).toBe(true);
    // On PostgreSQL neither hub has a SQLite file: the fleet is in the one database both read.
    if (store === 'postgres') {
      expect(fs.existsSync(path.join(hubA.dataDir, 'bascule.db'))).toBe(false);
      expect(fs.existsSync(path.join(hubB.dataDir, 'bascule.db'))).toBe(false);
    }
  }, 120_000);
});
