// Hub resident memory with 100 enrolled devices connected over MQTT/TLS. Each run: a fresh hub,
// RSS idle; 100 devices enrolled through POST /api/v1/enroll; 100 mqtt.js 5 clients connected with
// their own credentials (TLS pinned to the hub CA, protocol 4); then heartbeat rounds on
// bascule/v1/d/{id}/health (QoS 1, one every few seconds instead of 60 s to exercise ingest).
// Side by side in the same run: mosquitto (bare C broker, anonymous, TLS with the hub's certificate)
// holding the same 100 connections and the same messages, i.e. the cost of a broker alone.
// The simulated devices live in this process; only the server process is measured (/proc/PID/status).
// Usage: node test/bench/hub-memory.mjs [--runs 5] [--devices 100] [--rounds 3] [--round-seconds 5]
//        [--hub-node-args "--max-semi-space-size=1 --import test/bench/support/no-write-cache.mjs"]
//        (node flags for the hub process only, to measure a candidate fix; mosquitto is unchanged)

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createIdGenerator } from '../../protocol/dist/index.js';
import {
  cleanupOnExit,
  cpuSecondsOf,
  createToken,
  enrollDevice,
  fakeIdentity,
  fmt,
  memOf,
  mib,
  parseArgs,
  sleep,
  startHub,
  startProcess,
  stats,
  storedCounts,
  tempDir,
  tlsHandshake,
  writeMosquittoConf,
  writeResult,
} from './lib.mjs';

const mqtt = (await import('mqtt')).default;
const opts = parseArgs({
  runs: 5,
  devices: 100,
  rounds: 3,
  'round-seconds': 5,
  'settle-seconds': 5,
  'hub-node-args': '',
});
const hubNodeArgs = opts['hub-node-args'].split(' ').filter(Boolean);
const procs = [];
cleanupOnExit(procs);
const nextId = createIdGenerator();

/** Median RSS over a few samples one second apart (RSS moves with GC). */
async function rssNow(pid, n = 5) {
  const v = [];
  for (let i = 0; i < n; i++) {
    v.push(memOf(pid).rss);
    if (i < n - 1) await sleep(1000);
  }
  return stats(v).median;
}

function heartbeat(i) {
  const ts = new Date().toISOString();
  return JSON.stringify({
    v: 1,
    id: nextId(),
    ts,
    samples: [
      {
        ts,
        load1: 0.42,
        load5: 0.3,
        load15: 0.2,
        cpuCount: 4,
        memTotalBytes: 8 * 1024 ** 3,
        memUsedBytes: (2 + (i % 4)) * 1024 ** 3,
        swapTotalBytes: 2 * 1024 ** 3,
        swapUsedBytes: 0,
        uptimeSeconds: 3600 + i,
        disks: [{ mount: '/', sizeBytes: 256 * 1024 ** 3, usedBytes: 64 * 1024 ** 3 }],
      },
    ],
  });
}

async function connectAll(url, ca, devices) {
  return Promise.all(
    devices.map((d) =>
      mqtt.connectAsync(url, {
        ca,
        clientId: d.deviceId,
        username: d.deviceId,
        password: d.secret,
        protocolVersion: 4,
        reconnectPeriod: 0,
        connectTimeout: 30_000,
      }),
    ),
  );
}

/** Connect, idle, heartbeat rounds; RSS and CPU of `pid` at each step. */
async function exercise(pid, url, ca, devices) {
  const out = {};
  const c0 = performance.now();
  const clients = await connectAll(url, ca, devices);
  out.connectMs = performance.now() - c0;
  await sleep(opts['settle-seconds'] * 1000);
  out.connected = await rssNow(pid);
  const cpu0 = cpuSecondsOf(pid);
  const h0 = performance.now();
  for (let r = 0; r < opts.rounds; r++) {
    await Promise.all(
      clients.map((c, i) => c.publishAsync(`bascule/v1/d/${devices[i].deviceId}/health`, heartbeat(i), { qos: 1 })),
    );
    await sleep(opts['round-seconds'] * 1000);
  }
  out.heartbeatCpuPercent = ((cpuSecondsOf(pid) - cpu0) / ((performance.now() - h0) / 1000)) * 100;
  out.afterHeartbeats = await rssNow(pid);
  out.hwm = memOf(pid).hwm;
  await Promise.all(clients.map((c) => c.endAsync()));
  return out;
}

async function hubRun() {
  const dataDir = tempDir('hub-mem');
  const hub = await startHub(dataDir, {}, hubNodeArgs);
  procs.push(hub);
  await sleep(opts['settle-seconds'] * 1000);
  const idle = await rssNow(hub.pid);
  const ca = readFileSync(join(dataDir, 'tls/ca.pem'), 'utf8');
  const tok = createToken(dataDir, opts.devices);
  const e0 = performance.now();
  const devices = [];
  for (let i = 0; i < opts.devices; i++) devices.push(await enrollDevice(hub.url, ca, tok.token, fakeIdentity(i)));
  const enrollMs = performance.now() - e0;
  const enrolled = await rssNow(hub.pid);
  const ex = await exercise(hub.pid, `mqtts://127.0.0.1:${hub.mqttPort}`, ca, devices);
  await hub.stop();
  const stored = storedCounts(dataDir).totals;
  return { dataDir, devices, ca, r: { idle, enrolled, enrollMs, ...ex, stored } };
}

async function mosquittoRun(tlsDir, ca, devices) {
  const { dir, port, conf } = await writeMosquittoConf(tlsDir);
  const p = startProcess('mosquitto', ['-c', conf]);
  procs.push(p);
  for (;;) {
    try {
      await tlsHandshake(port, ca);
      break;
    } catch {
      await sleep(20);
    }
  }
  await sleep(opts['settle-seconds'] * 1000);
  const idle = await rssNow(p.pid);
  const ex = await exercise(p.pid, `mqtts://127.0.0.1:${port}`, ca, devices);
  await p.stop();
  rmSync(dir, { recursive: true, force: true });
  return { idle, ...ex };
}

const results = { hub: [], mosquitto: [] };
for (let i = 0; i < opts.runs; i++) {
  const h = await hubRun();
  results.hub.push(h.r);
  results.mosquitto.push(await mosquittoRun(join(h.dataDir, 'tls'), h.ca, h.devices));
  rmSync(h.dataDir, { recursive: true, force: true });
  console.log(
    `run ${i + 1}: hub ${mib(h.r.idle)} → ${mib(h.r.connected)} → ${mib(h.r.afterHeartbeats)} MiB, stored ${JSON.stringify(
      h.r.stored,
    )}; mosquitto ${mib(results.mosquitto[i].idle)} → ${mib(results.mosquitto[i].afterHeartbeats)} MiB`,
  );
}

const summary = {};
console.log(`\nRSS, MiB, ${opts.devices} devices over MQTT/TLS, ${opts.runs} runs: median (min–max)`);
console.log(
  `server      ${['idle', 'enrolled', 'connected', 'after heartbeats', 'VmHWM'].map((h) => h.padEnd(20)).join('')}heartbeat CPU %`,
);
for (const [name, rs] of Object.entries(results)) {
  const s = Object.fromEntries(
    ['idle', 'enrolled', 'connected', 'afterHeartbeats', 'hwm', 'heartbeatCpuPercent', 'connectMs', 'enrollMs'].map(
      (k) => [k, stats(rs.map((r) => r[k]))],
    ),
  );
  summary[name] = s;
  const col = (k) => fmt(s[k], mib).padEnd(20);
  console.log(
    `${name.padEnd(11)} ${col('idle')}${s.enrolled.n ? col('enrolled') : 'n/a'.padEnd(20)}${col('connected')}${col(
      'afterHeartbeats',
    )}${col('hwm')}${fmt(s.heartbeatCpuPercent, (x) => x.toFixed(1))}`,
  );
}
console.log(
  `hub: enrol ${opts.devices} devices ${fmt(summary.hub.enrollMs, (x) => x.toFixed(0))} ms; connect ${opts.devices} clients: hub ${fmt(
    summary.hub.connectMs,
    (x) => x.toFixed(0),
  )} ms, mosquitto ${fmt(summary.mosquitto.connectMs, (x) => x.toFixed(0))} ms`,
);
writeResult('hub-memory', { options: opts, summary, results });
