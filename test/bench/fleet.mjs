#!/usr/bin/env node
// Issue 9: N simulated devices (test/bench/sim) connected to one hub, a health sample every
// --heartbeat seconds, for --minutes: hub CPU (share of one core) and resident memory, the
// publish-to-PUBACK latency of each message (the hub stores before it acknowledges: ingest-to-database
// as the device sees it) p50/p99, and the database's growth extrapolated to a day. Then, in the same run,
// the same fleet and traffic against Mosquitto (Debian package) as a bare broker: what the embedded
// broker, the checks and the storage cost.
//
// --inventory-window 0 (the default): the devices connect all at once (200 at a time), each sending its
// full inventory (--connect full: 10,000 agents started in the same minute, the worst case) or, with
// --connect delta, its status and a small delta inventory (network and users, ~1 KB) as devices that
// were inventoried and configured before: they start with the config revision the hub holds for them
// (an agent keeps it on disk) and do not report the retained config they get on connecting.
// --inventory-window S: a fleet's day instead. First contact, measured on its own: each device connects
// at a uniformly random moment of S seconds (machines switched on through the morning) with its status,
// the report of its first config and its full inventory, and its heartbeats start. The steady state is
// then measured on the same connections (heartbeats only). Against Mosquitto the devices connect all at
// once with their status and a small delta inventory (network and users, ~1 KB) instead: it has no
// configs and stores nothing, so its first contact would measure only the connections.
//
//   node test/bench/fleet.mjs [--devices 10000] [--workers 4] [--minutes 10] [--heartbeat 60]
//     [--inventory-window 0] [--connect full|delta] [--mosquitto 1]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  cleanupOnExit,
  configRevisions,
  cpuSecondsOf,
  createToken,
  machine,
  mib,
  parseArgs,
  ROOT,
  resultLogPath,
  rssOf,
  sleep,
  startHub,
  startProcess,
  tempDir,
  writeMosquittoConf,
  writeResult,
} from './lib.mjs';
import { anonymousFleet, enrolFleet, mergeLatencies, percentiles, startFleet } from './sim/fleet.mjs';
import { hubIngestCounts } from './support/hub-metrics.mjs';

const opts = parseArgs({
  devices: 10_000,
  workers: 4,
  minutes: 10,
  heartbeat: 60,
  'inventory-window': 0,
  connect: 'full',
  mosquitto: 1,
  sample: 15,
});
const inventoryWindow = opts['inventory-window'];
const procs = [];
cleanupOnExit(procs);

/** The database's used size (pages in use, WAL included), read through SQLite itself, read-only. */
function dbBytes(dataDir) {
  const Database = createRequire(join(ROOT, 'hub/package.json'))('better-sqlite3');
  const db = new Database(join(dataDir, 'bascule.db'), { readonly: true, fileMustExist: true });
  try {
    const pragma = (name) => db.pragma(name, { simple: true });
    return (pragma('page_count') - pragma('freelist_count')) * pragma('page_size');
  } finally {
    db.close();
  }
}

/**
 * The first contact of --inventory-window: each device connects at a random moment of the window, with
 * its status, the report of its first config and its full inventory; its heartbeats start as it connects.
 * The hub is sampled every --sample seconds meanwhile; PUBACK latencies per kind over the whole phase.
 */
async function inventoryPhase(url, creds, pid, dataDir) {
  const t0 = performance.now();
  const cpu0 = cpuSecondsOf(pid);
  const db0 = dbBytes(dataDir);
  let maxRss = 0;
  let last = { t: t0, cpu: cpu0 };
  const sampler = setInterval(() => {
    const now = { t: performance.now(), cpu: cpuSecondsOf(pid) };
    const rss = rssOf(pid) ?? 0;
    maxRss = Math.max(maxRss, rss);
    const share = (now.cpu - last.cpu) / ((now.t - last.t) / 1000);
    console.log(`  ${((now.t - t0) / 1000).toFixed(0)} s: hub CPU ${(share * 100).toFixed(0)} %, RSS ${mib(rss)} MiB`);
    last = now;
  }, opts.sample * 1000);
  const fleet = await startBenchFleet(url, creds, 'full', { spreadSeconds: inventoryWindow });
  clearInterval(sampler);
  const seconds = (performance.now() - t0) / 1000;
  const s = await fleet.stats();
  const phase = {
    windowSeconds: inventoryWindow,
    seconds,
    connected: fleet.connected,
    failed: fleet.failed,
    loadAverageAtEnd: loadavg(),
    cpuShareOfOneCore: (cpuSecondsOf(pid) - cpu0) / seconds,
    maxRssMiB: maxRss / 2 ** 20,
    dbGrowthMiB: (dbBytes(dataDir) - db0) / 2 ** 20,
    latencyMs: Object.fromEntries(Object.entries(s.acks).map(([k, v]) => [k, percentiles(v)])),
  };
  return { fleet, phase };
}

/** Runs the fleet's steady state for the configured minutes, sampling the broker process. */
async function steadyState(fleet, pid, dataDir) {
  const burst = await fleet.stats(); // the connection burst (statuses, inventories), reported apart
  const samples = [];
  const latencies = {};
  const t0 = performance.now();
  const cpu0 = cpuSecondsOf(pid);
  const db0 = dataDir ? dbBytes(dataDir) : 0;
  const end = t0 + opts.minutes * 60_000;
  while (performance.now() < end) {
    await sleep(Math.min(opts.sample * 1000, end - performance.now()));
    const s = await fleet.stats();
    mergeLatencies(latencies, s.acks);
    const health = percentiles(s.acks.health ?? []);
    samples.push({ t: (performance.now() - t0) / 1000, rss: rssOf(pid), connected: s.connected, health });
    const last = samples.at(-1);
    console.log(
      `  ${last.t.toFixed(0)} s: ${last.connected} connected, broker RSS ${mib(last.rss)} MiB, health PUBACK p99 ${health.p99?.toFixed(1) ?? '-'} ms (max ${health.max?.toFixed(0) ?? '-'})`,
    );
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSecondsOf(pid) - cpu0;
  const dbGrowth = dataDir ? dbBytes(dataDir) - db0 : 0;
  return {
    seconds,
    loadAverageAtEnd: loadavg(),
    cpuShareOfOneCore: cpu / seconds,
    rssMiB: {
      first: samples[0]?.rss / 2 ** 20,
      last: samples.at(-1)?.rss / 2 ** 20,
      max: Math.max(...samples.map((s) => s.rss)) / 2 ** 20,
    },
    minConnected: Math.min(...samples.map((s) => s.connected)),
    connectBurstLatencyMs: Object.fromEntries(Object.entries(burst.acks).map(([k, v]) => [k, percentiles(v)])),
    latencyMs: Object.fromEntries(Object.entries(latencies).map(([k, v]) => [k, percentiles(v)])),
    ...(dataDir ? { dbGrowthBytes: dbGrowth, dbGrowthPerDayMiB: ((dbGrowth / seconds) * 86_400) / 2 ** 20 } : {}),
  };
}

const result = {
  devices: opts.devices,
  workers: opts.workers,
  minutes: opts.minutes,
  heartbeatSeconds: opts.heartbeat,
  inventoryWindowSeconds: inventoryWindow,
  connect: opts.connect,
};

/** The simulated fleet on `url`, with this run's workers and heartbeat. */
function startBenchFleet(url, creds, inventory, extra = {}) {
  return startFleet({ url, ca, creds, workers: opts.workers, heartbeatSeconds: opts.heartbeat, inventory, ...extra });
}

/** Connects the fleet to `url`, with what each device sends on connecting; logs and returns the counts. */
async function connectFleet(name, url, creds, inventory) {
  const fleet = await startBenchFleet(url, creds, inventory);
  console.log(
    `${name}: ${fleet.connected} connected (${fleet.failed} failed) in ${fleet.connectSeconds.toFixed(1)} s, each sending its status and ${inventory === 'none' ? 'no' : `a ${inventory}`} inventory`,
  );
  return fleet;
}

// ---- the hub
const dataDir = tempDir('fleet-hub');
const hubLog = resultLogPath('fleet-hub');
console.log(`hub output: ${hubLog}`);
const hub = await startHub(dataDir, {}, [], { logFile: hubLog });
procs.push(hub);
const ca = readFileSync(join(dataDir, 'tls/ca.pem'), 'utf8');
const token = createToken(dataDir, opts.devices, 'Simulation');
const t = performance.now();
const creds = await enrolFleet(hub.url, ca, token.token, opts.devices, 16);
result.enrolSeconds = (performance.now() - t) / 1000;
console.log(`${opts.devices} devices enrolled through the REST API in ${result.enrolSeconds.toFixed(1)} s`);
const hubUrl = `mqtts://127.0.0.1:${hub.mqttPort}`;
result.hub = {};
let fleet;
if (inventoryWindow > 0) {
  console.log(`hub, first contact: each device at a random moment of ${inventoryWindow} s, with its full inventory`);
  const { fleet: first, phase } = await inventoryPhase(hubUrl, creds, hub.pid, dataDir);
  result.hub.inventoryPhase = phase;
  console.log(JSON.stringify(phase));
  // The morning is over: the same connections go on into the steady state.
  fleet = first;
} else if (opts.connect === 'delta') {
  // The hub computes the configs of new devices in the background: wait until each has one (≤ 60 s).
  let revisions = configRevisions(dataDir);
  for (let i = 0; i < 60 && revisions.size < opts.devices; i++) {
    await sleep(1000);
    revisions = configRevisions(dataDir);
  }
  const known = creds.map((c) => ({ ...c, configRevision: revisions.get(c.deviceId) }));
  fleet = await connectFleet('hub', hubUrl, known, 'delta');
} else {
  fleet = await connectFleet('hub', hubUrl, creds, 'full');
}
Object.assign(result.hub, { connected: fleet.connected, failed: fleet.failed, connectSeconds: fleet.connectSeconds });
result.hub.dbBytesAfterConnect = dbBytes(dataDir);
Object.assign(result.hub, await steadyState(fleet, hub.pid, dataDir));
// Every message counted by the hub's ingest: stored, duplicate or rejected (none expected).
result.hub.ingest = await hubIngestCounts(hub, ca);
if (result.hub.ingest.rejected)
  console.log(`WARNING: the hub refused ${result.hub.ingest.rejected} simulated messages`);
await fleet.stop();
await hub.stop();

// ---- the same fleet against Mosquitto, a bare broker (no checks, no storage)
if (opts.mosquitto && spawnSync('sh', ['-c', 'command -v mosquitto']).status === 0) {
  const m = await writeMosquittoConf(join(dataDir, 'tls'));
  const mosq = startProcess('mosquitto', ['-c', m.conf]);
  procs.push(mosq);
  await sleep(500);
  const bare = await connectFleet(
    'mosquitto',
    `mqtts://127.0.0.1:${m.port}`,
    anonymousFleet(opts.devices),
    inventoryWindow > 0 || opts.connect === 'delta' ? 'delta' : 'full',
  );
  result.mosquitto = { connected: bare.connected, failed: bare.failed, connectSeconds: bare.connectSeconds };
  Object.assign(result.mosquitto, await steadyState(bare, mosq.pid));
  await bare.stop();
  await mosq.stop();
  result.mosquittoVersion = spawnSync('mosquitto', ['-h'], { encoding: 'utf8' }).stdout.split('\n')[0];
}

console.log(JSON.stringify({ machine: machine(), ...result }, null, 2));
writeResult('fleet', result);
process.exit(0);
