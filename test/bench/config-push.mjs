// Time from saving a policy to every online device acknowledging it. A fresh hub; N simulated
// devices enrolled through POST /api/v1/enroll and connected over MQTT/TLS with their own
// credentials (mqtt.js, protocol 4), each subscribed to its retained `config` topic. On a config
// carrying the policy's new revision, a device answers on `report` (QoS 1, status applied) as the
// agent does. For each run: PUT /api/v1/policies/{id} with a new document, then
//   received = until every device got the new config, acked = until the hub PUBACKed every report
//   (stored in the database before the PUBACK). Compliance is checked through the REST API after.
// With --hubs 2: a private redis-server and two hubs on one data directory clustered through it
// (`serve --redis-url`); devices alternate between the hubs' MQTT ports, policies are saved through the
// first hub, and the hub CPU is the sum of both.
// With --store postgres: the hubs keep their data in a throwaway PostgreSQL cluster (test/rigs/postgres-cluster.mjs)
// named in DATA/database-url (which the CLI commands read too) instead of SQLite.
// Usage: node test/bench/config-push.mjs [--devices 1000] [--runs 5] [--concurrency 16] [--hubs 1|2]
//   [--store sqlite|postgres]

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createIdGenerator } from '../../protocol/dist/index.js';
import { startPostgresCluster } from '../rigs/postgres-cluster.mjs';
import {
  cleanupOnExit,
  cpuSecondsOf,
  createToken,
  enrollDevice,
  fakeIdentity,
  fmt,
  freePort,
  HUB_BIN,
  memOf,
  mib,
  parseArgs,
  resultLogPath,
  run,
  startHub,
  startProcess,
  stats,
  tempDir,
  writeResult,
} from './lib.mjs';
import { RestClient } from './support/rest-timing.mjs';

const mqtt = (await import('mqtt')).default;
const opts = parseArgs({ devices: 1000, runs: 5, concurrency: 16, hubs: 1, store: 'sqlite' });
const procs = [];
cleanupOnExit(procs);
const nextId = createIdGenerator();
const PASSWORD = 'une phrase de passe pour le banc config-push';

async function pool(items, n, fn) {
  const out = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) {
        const k = i++;
        out[k] = await fn(items[k], k);
      }
    }),
  );
  return out;
}

const printers = (tag) => ({
  printers: [{ name: `Accueil-${tag}`, uri: `ipp://printer-${tag}.local/ipp/print`, driver: { kind: 'everywhere' } }],
});

const dataDir = tempDir('config-push');
const hubEnv = {};
let postgres;
if (opts.store === 'postgres') {
  postgres = await startPostgresCluster();
  await postgres.query('create database bascule');
  writeFileSync(join(dataDir, 'database-url'), `${postgres.urlOf('bascule')}\n`, { mode: 0o600 });
}
if (opts.hubs > 1) {
  const port = await freePort();
  const redis = startProcess('/usr/bin/redis-server', [
    ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir, '--save', '', '--appendonly', 'no'],
  ]);
  procs.push(redis);
  await redis.waitFor((e) => e.line.includes('Ready to accept connections'), 'redis-server ready');
  hubEnv.BASCULE_REDIS_URL = `redis://127.0.0.1:${port}/0`;
}
const hubs = [];
const hubLog = resultLogPath('config-push-hub');
console.log(`hub output: ${hubLog}`);
for (let i = 0; i < opts.hubs; i++) {
  hubs.push(await startHub(dataDir, hubEnv, [], { logFile: hubLog })); // the first creates the CA and the database
  procs.push(hubs.at(-1));
}
const hub = hubs[0];
const hubsCpu = () => hubs.reduce((s, h) => s + cpuSecondsOf(h.pid), 0);
const ca = readFileSync(join(dataDir, 'tls/ca.pem'), 'utf8');
run(process.execPath, [HUB_BIN, 'user', 'add', 'bench', '--role', 'admin', '--password-stdin', '--data', dataDir], {
  input: `${PASSWORD}\n`,
});
const client = new RestClient(hub, ca);
await client.login('bench', PASSWORD);

const token = createToken(dataDir, opts.devices, 'Accueil');
const e0 = performance.now();
const devices = await pool(
  Array.from({ length: opts.devices }, (_, i) => i),
  opts.concurrency,
  (i) => enrollDevice(hub.url, ca, token.token, fakeIdentity(i)),
);
const enrolSeconds = (performance.now() - e0) / 1000;
console.log(`${devices.length} devices enrolled in ${enrolSeconds.toFixed(1)} s`);

// What each device waits for: the policy revision of the current run.
let expected = 0;
let onReceived = () => {};
let onAcked = () => {};
const c0 = performance.now();
const clients = await pool(devices, opts.concurrency * 4, async (d, i) => {
  const c = await mqtt.connectAsync(`mqtts://127.0.0.1:${hubs[i % hubs.length].mqttPort}`, {
    ca,
    clientId: d.deviceId,
    username: d.deviceId,
    password: d.secret,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 60_000,
  });
  c.on('message', (_topic, payload) => {
    const msg = JSON.parse(payload.toString());
    const m = msg.modules?.printers;
    if (!m || m.policyRevision !== expected) return;
    onReceived();
    const report = {
      v: 1,
      id: nextId(),
      ts: new Date().toISOString(),
      revision: msg.revision,
      modules: {
        printers: {
          policyId: m.policyId,
          policyRevision: m.policyRevision,
          status: 'applied',
          steps: [],
          at: new Date().toISOString(),
        },
      },
    };
    c.publishAsync(`bascule/v1/d/${d.deviceId}/report`, JSON.stringify(report), { qos: 1 }).then(() => onAcked());
  });
  await c.subscribeAsync(`bascule/v1/d/${d.deviceId}/config`, { qos: 1 });
  return c;
});
console.log(`${clients.length} devices connected in ${((performance.now() - c0) / 1000).toFixed(1)} s`);
// The connection phase outlived the server's keep-alive timeout: a fresh connection for the API.
client.reconnect();

const created = await client.request('POST', '/api/v1/policies', {
  name: 'Bench printers',
  module: 'printers',
  document: printers('r1'),
});
const policyId = created.body.id;

/** Saves `document` (and assignments on the first run); resolves with the timings of this revision. */
async function push(revision, save) {
  expected = revision;
  let received = 0;
  let acked = 0;
  const t0 = performance.now();
  const cpu0 = hubsCpu();
  const done = new Promise((resolve) => {
    let receivedAt = null;
    onReceived = () => {
      received++;
      if (received === clients.length) receivedAt = performance.now() - t0;
    };
    onAcked = () => {
      acked++;
      if (acked === clients.length) resolve({ receivedMs: receivedAt, ackedMs: performance.now() - t0 });
    };
  });
  const r0 = performance.now();
  await save();
  const saveMs = performance.now() - r0;
  const timings = await done;
  return { ...timings, saveMs, hubCpuSeconds: hubsCpu() - cpu0 };
}

const results = [];
results.push({
  kind: 'assign',
  ...(await push(1, () => client.request('PUT', `/api/v1/policies/${policyId}/assignments`, [{ kind: 'everyone' }]))),
});
for (let r = 0; r < opts.runs; r++) {
  const revision = r + 2;
  results.push({
    kind: 'update',
    ...(await push(revision, () =>
      client.request('PUT', `/api/v1/policies/${policyId}`, { document: printers(`r${revision}`) }),
    )),
  });
  console.log(
    `revision ${revision}: save ${results.at(-1).saveMs.toFixed(0)} ms, all received ${results.at(-1).receivedMs.toFixed(0)} ms, all acknowledged ${results.at(-1).ackedMs.toFixed(0)} ms`,
  );
}
await new Promise((r) => setTimeout(r, 500));
const compliance = (await client.request('GET', `/api/v1/policies/${policyId}/compliance`)).body;
const updates = results.filter((r) => r.kind === 'update');
const summary = {
  devices: opts.devices,
  hubs: opts.hubs,
  store: opts.store,
  enrolSeconds,
  firstAssignMs: results[0].ackedMs,
  saveMs: stats(updates.map((r) => r.saveMs)),
  receivedMs: stats(updates.map((r) => r.receivedMs)),
  ackedMs: stats(updates.map((r) => r.ackedMs)),
  hubCpuSeconds: stats(updates.map((r) => r.hubCpuSeconds)),
  hubRss: hubs.reduce((s, h) => s + (memOf(h.pid)?.rss ?? 0), 0),
  compliance: { devices: compliance.devices, applied: compliance.applied, pending: compliance.pending },
};
console.log(`\n${opts.devices} devices on ${opts.hubs} hub(s), ${opts.store}, ${opts.runs} policy saves:`);
console.log(`  PUT /policies/{id} answered:          ${fmt(summary.saveMs, (x) => `${x.toFixed(0)} ms`)}`);
console.log(`  every device received the config:    ${fmt(summary.receivedMs, (x) => `${x.toFixed(0)} ms`)}`);
console.log(`  every report acknowledged (stored):  ${fmt(summary.ackedMs, (x) => `${x.toFixed(0)} ms`)}`);
console.log(`  first assignment (revision 1):       ${summary.firstAssignMs.toFixed(0)} ms`);
console.log(`  hub CPU per save:                    ${fmt(summary.hubCpuSeconds, (x) => `${x.toFixed(2)} s`)}`);
console.log(`  hub RSS after:                       ${mib(summary.hubRss)} MiB`);
console.log(`  compliance after the last save:      ${JSON.stringify(summary.compliance)}`);
writeResult('config-push', { opts, results, summary });

await Promise.all(clients.map((c) => c.endAsync()));
client.close();
for (const h of hubs.reverse()) await h.stop();
for (const p of procs.filter((p) => !hubs.includes(p))) await p.stop();
await postgres?.stop();
rmSync(dataDir, { recursive: true, force: true });
