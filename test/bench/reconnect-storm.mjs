#!/usr/bin/env node
// Issue 9, reconnect storm: N simulated devices (test/bench/sim) connected to one hub, a health message
// every --heartbeat seconds each. The hub is stopped (SIGTERM) and, --down seconds later, started again
// on the same data directory and ports. The devices keep producing health messages meanwhile: mqtt.js
// (QoS 1, clean: false) keeps each one until it is acknowledged and sends it again after reconnecting,
// as the agent's outbox does. Measured from the restart: until every device is connected again, and
// until every message published before that moment is acknowledged, i.e. stored (heartbeats go on
// meanwhile, so "nothing pending at all" would depend on chance). Then the
// heartbeats stop, the last messages drain, and the hub's SQLite is read: every health message id the
// devices produced must be in `ingested_messages` (none lost), each with exactly one `health_samples`
// row (none stored twice). The same fleet and restart against Mosquitto in the same run (no storage: it
// shows what the connections alone cost).
//
//   node test/bench/reconnect-storm.mjs [--devices 10000] [--workers 4] [--heartbeat 60] [--before 60]
//     [--down 30] [--timeout 900] [--mosquitto 1]
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
  freePort,
  machine,
  parseArgs,
  ROOT,
  resultLogPath,
  rssOf,
  sleep,
  startHub,
  startProcess,
  tempDir,
  tlsHandshake,
  writeMosquittoConf,
  writeResult,
} from './lib.mjs';
import { anonymousFleet, enrolFleet, startFleet } from './sim/fleet.mjs';
import { hubIngestCounts } from './support/hub-metrics.mjs';

const opts = parseArgs({
  devices: 10_000,
  workers: 4,
  heartbeat: 60,
  before: 60,
  down: 30,
  timeout: 900,
  mosquitto: 1,
});
const procs = [];
cleanupOnExit(procs);

/**
 * Stops the broker (`stop()` resolves once it has exited), waits --down seconds, starts it again
 * (`start()` resolves once it accepts connections, with its pid); then polls the fleet every 500 ms.
 */
async function storm(fleet, stop, start) {
  const before = await fleet.stats();
  const t0 = performance.now();
  const exit = await stop();
  const stoppedMs = performance.now() - t0;
  console.log(`  stopped in ${stoppedMs.toFixed(0)} ms (${JSON.stringify(exit)}); down for ${opts.down} s`);
  await sleep(opts.down * 1000);
  const atRestart = await fleet.stats();
  const tUp = performance.now();
  const pid = await start();
  const readyMs = performance.now() - tUp;
  const cpu0 = cpuSecondsOf(pid);
  let allBackMs = null;
  let allBackAt = null; // Date.now(), to compare with when the pending messages were published
  let drainedMs = null;
  let maxRss = 0;
  let lastLog = 0;
  while (drainedMs === null && performance.now() - tUp < opts.timeout * 1000) {
    await sleep(500);
    const s = await fleet.stats();
    const t = performance.now() - tUp;
    maxRss = Math.max(maxRss, rssOf(pid) ?? 0);
    if (allBackMs === null && s.connected === opts.devices) {
      allBackMs = t;
      allBackAt = Date.now();
    }
    if (allBackAt !== null && (s.oldestPendingAt === null || s.oldestPendingAt > allBackAt)) drainedMs = t;
    if (t - lastLog > 5000 || drainedMs !== null) {
      lastLog = t;
      console.log(`  +${(t / 1000).toFixed(1)} s: ${s.connected} connected, ${s.pending} messages pending`);
    }
  }
  return {
    pendingBefore: before.pending,
    connectedBefore: before.connected,
    stoppedMs,
    exit,
    pendingAtRestart: atRestart.pending,
    readyMs,
    allBackMs,
    drainedMs,
    cpuSecondsUntilDrained: cpuSecondsOf(pid) - cpu0,
    maxRssMiB: maxRss / 2 ** 20,
    loadAverageAfter: loadavg(),
  };
}

/** Heartbeats stopped, waits until nothing is pending (at most --timeout); the ids produced. */
async function quietAndDrain(fleet) {
  await fleet.quiet();
  const t0 = performance.now();
  let s = await fleet.stats();
  while (s.pending > 0 && performance.now() - t0 < opts.timeout * 1000) {
    await sleep(500);
    s = await fleet.stats();
  }
  return { pendingLeft: s.pending, ids: await fleet.producedHealthIds() };
}

/** What the hub stored, from its SQLite file (read-only, hub stopped), against the ids produced. */
function storedAgainst(dataDir, producedIds) {
  const Database = createRequire(join(ROOT, 'hub/package.json'))('better-sqlite3');
  const db = new Database(join(dataDir, 'bascule.db'), { readonly: true, fileMustExist: true });
  try {
    const ingested = new Set(db.prepare("select id from ingested_messages where kind = 'health'").pluck().all());
    const samples = db
      .prepare('select count(*) as n, count(distinct message_id) as messages from health_samples')
      .get();
    const produced = new Set(producedIds);
    return {
      produced: producedIds.length,
      producedDistinct: produced.size,
      ingestedHealth: ingested.size,
      healthSamples: samples.n,
      healthSampleMessages: samples.messages,
      lost: [...produced].filter((id) => !ingested.has(id)).length,
      unknown: [...ingested].filter((id) => !produced.has(id)).length,
      storedTwice: samples.n - samples.messages,
    };
  } finally {
    db.close();
  }
}

const result = { devices: opts.devices, heartbeatSeconds: opts.heartbeat, downSeconds: opts.down, before: opts.before };

// ---- the hub, on fixed ports so that it comes back where its devices expect it
const dataDir = tempDir('storm-hub');
const hubLog = resultLogPath('reconnect-storm-hub');
console.log(`hub output: ${hubLog}`);
const ports = { http: await freePort(), mqtt: await freePort(), ssh: await freePort() };
let hub = await startHub(dataDir, {}, [], { logFile: hubLog, ports });
procs.push(hub);
const ca = readFileSync(join(dataDir, 'tls/ca.pem'), 'utf8');
const token = createToken(dataDir, opts.devices, 'Simulation');
const enrolled = await enrolFleet(hub.url, ca, token.token, opts.devices, 16);
// As a fleet whose hub restarts: configs applied long ago (no report of the retained config).
const revisions = configRevisions(dataDir);
const creds = enrolled.map((c) => ({ ...c, configRevision: revisions.get(c.deviceId) }));
const fleetOpts = { ca, workers: opts.workers, heartbeatSeconds: opts.heartbeat, inventory: 'delta' };
const fleet = await startFleet({ ...fleetOpts, url: `mqtts://127.0.0.1:${ports.mqtt}`, creds });
console.log(`hub: ${fleet.connected} connected (${fleet.failed} failed) in ${fleet.connectSeconds.toFixed(1)} s`);
await sleep(opts.before * 1000);
console.log(`hub: restart, load average ${loadavg().map((x) => x.toFixed(2))}`);
result.hub = await storm(
  fleet,
  async () => {
    await hub.stop('SIGTERM', 120_000);
    return hub.exited;
  },
  async () => {
    hub = await startHub(dataDir, {}, [], { logFile: hubLog, ports });
    procs.push(hub);
    return hub.pid;
  },
);
// Counted by the restarted hub: messages sent again after a lost PUBACK are recognised as duplicates.
result.hub.ingestAfterRestart = await hubIngestCounts(hub, ca);
const drained = await quietAndDrain(fleet);
await fleet.stop();
await hub.stop();
result.hub.pendingLeft = drained.pendingLeft;
result.hub.stored = storedAgainst(dataDir, drained.ids);
console.log(`hub: ${JSON.stringify(result.hub)}`);

// ---- the same fleet and restart against Mosquitto (persistence off, like aedes in memory)
if (opts.mosquitto && spawnSync('sh', ['-c', 'command -v mosquitto']).status === 0) {
  const m = await writeMosquittoConf(join(dataDir, 'tls'));
  const startMosquitto = async () => {
    const p = startProcess('mosquitto', ['-c', m.conf]);
    procs.push(p);
    for (let i = 0; ; i++) {
      try {
        await tlsHandshake(m.port, ca);
        return p;
      } catch (err) {
        if (i > 200) throw err;
        await sleep(20);
      }
    }
  };
  let mosq = await startMosquitto();
  const bare = await startFleet({
    ...fleetOpts,
    url: `mqtts://127.0.0.1:${m.port}`,
    creds: anonymousFleet(opts.devices),
  });
  console.log(`mosquitto: ${bare.connected} connected in ${bare.connectSeconds.toFixed(1)} s`);
  await sleep(opts.before * 1000);
  console.log(`mosquitto: restart, load average ${loadavg().map((x) => x.toFixed(2))}`);
  result.mosquitto = await storm(
    bare,
    async () => {
      await mosq.stop('SIGTERM', 120_000);
      return mosq.exited;
    },
    async () => {
      mosq = await startMosquitto();
      return mosq.pid;
    },
  );
  const bareDrained = await quietAndDrain(bare);
  result.mosquitto.pendingLeft = bareDrained.pendingLeft;
  result.mosquitto.produced = bareDrained.ids.length;
  await bare.stop();
  await mosq.stop();
  result.mosquittoVersion = spawnSync('mosquitto', ['-h'], { encoding: 'utf8' }).stdout.split('\n')[0];
  console.log(`mosquitto: ${JSON.stringify(result.mosquitto)}`);
}

console.log(JSON.stringify({ machine: machine(), ...result }, null, 2));
writeResult('reconnect-storm', result);
process.exit(0);
