#!/usr/bin/env node
// Issue 9: where the hub's resident memory goes with a fleet connected. For each --devices count (one
// fresh hub each): the simulated fleet (test/bench/sim) connects with its status and a small delta
// inventory, stays --settle seconds, then the hub is asked for its memory as Node sees it (V8 heap,
// external and array buffers: support/memory-report.mjs) beside the kernel's (/proc/PID/smaps_rollup),
// and optionally writes a heap snapshot summarised by its largest constructors (support/heap-summary.mjs).
// What is neither V8's heap nor Node's buffers is native: OpenSSL's per-connection state, libuv,
// the allocator. The same fleet against Mosquitto in the same run, for the bare broker's cost.
//
//   node test/bench/hub-memory-fleet.mjs [--devices 2000,10000] [--settle 60] [--snapshot 1] [--mosquitto 1]
//     [--hub-env MALLOC_ARENA_MAX=2,...]   (environment of the hub process only: a candidate setting)
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  cleanupOnExit,
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
import { anonymousFleet, enrolFleet, startFleet } from './sim/fleet.mjs';

const opts = parseArgs({ devices: '2000,10000', settle: 60, snapshot: 1, mosquitto: 1, workers: 4, 'hub-env': '' });
const hubEnv = Object.fromEntries(
  String(opts['hub-env'])
    .split(',')
    .filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
);
const counts = String(opts.devices).split(',').map(Number);
const procs = [];
cleanupOnExit(procs);

/** The kernel's view: resident memory split into anonymous (heap, malloc) and file-backed pages. */
function smapsRollup(pid) {
  const out = {};
  for (const line of readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').split('\n')) {
    const m = /^(Rss|Anonymous|Shared_Clean|Private_Clean|Private_Dirty):\s+(\d+) kB/.exec(line);
    if (m) out[m[1]] = Number(m[2]) * 1024;
  }
  return out;
}

async function untilFile(file, timeoutMs = 120_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      await sleep(200);
    }
  }
  throw new Error(`${file} was not written`);
}

/** Asks the hub for a heap snapshot (SIGUSR2) and resolves with its file once its size stops changing. */
async function heapSnapshot(pid, dir) {
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 600; i++) {
    await sleep(500);
    const name = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot'));
    if (!name) continue;
    const file = join(dir, name);
    let size = -1;
    while (statSync(file).size !== size || size === 0) {
      size = statSync(file).size;
      await sleep(2000);
    }
    return file;
  }
  return null;
}

function heapSummary(file) {
  const r = spawnSync(process.execPath, [join(ROOT, 'test/bench/support/heap-summary.mjs'), file, '25'], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`heap-summary failed: ${r.stderr}`);
  return r.stdout.trim().split('\n');
}

async function measureHub(devices) {
  const dataDir = tempDir('hub-memory-fleet');
  const report = join(dataDir, 'memory.json');
  const hub = await startHub(
    dataDir,
    { ...hubEnv, BASCULE_MEMORY_REPORT: report },
    [
      '--import',
      join(ROOT, 'test/bench/support/memory-report.mjs'),
      '--heapsnapshot-signal=SIGUSR2',
      '--diagnostic-dir',
      dataDir,
    ],
    { logFile: resultLogPath(`hub-memory-fleet-${devices}`) },
  );
  procs.push(hub);
  const ca = readFileSync(join(dataDir, 'tls/ca.pem'), 'utf8');
  const idle = rssOf(hub.pid);
  const token = createToken(dataDir, devices, 'Simulation');
  const creds = await enrolFleet(hub.url, ca, token.token, devices, 16);
  const fleet = await startFleet({
    url: `mqtts://127.0.0.1:${hub.mqttPort}`,
    ca,
    creds,
    workers: opts.workers,
    heartbeatSeconds: 60,
    inventory: 'delta',
  });
  console.log(
    `hub: ${fleet.connected} of ${devices} connected in ${fleet.connectSeconds.toFixed(1)} s; settling ${opts.settle} s`,
  );
  await sleep(opts.settle * 1000);
  process.kill(hub.pid, 'SIGUSR1');
  const node = JSON.parse(await untilFile(report));
  const kernel = smapsRollup(hub.pid);
  const result = { devices, dataDir, connected: fleet.connected, idleRss: idle, node, kernel };
  result.nativeBytes = kernel.Rss - node.heapTotal - node.external;
  if (opts.snapshot) {
    const snap = await heapSnapshot(hub.pid, dataDir);
    result.heapTop = snap ? heapSummary(snap) : ['no snapshot written'];
    if (snap) rmSync(snap);
  }
  await fleet.stop();
  await hub.stop();
  return result;
}

async function measureMosquitto(devices, tlsDir) {
  const m = await writeMosquittoConf(tlsDir);
  const mosq = startProcess('mosquitto', ['-c', m.conf]);
  procs.push(mosq);
  await sleep(500);
  const ca = readFileSync(join(tlsDir, 'ca.pem'), 'utf8');
  const fleet = await startFleet({
    url: `mqtts://127.0.0.1:${m.port}`,
    ca,
    creds: anonymousFleet(devices),
    workers: opts.workers,
    heartbeatSeconds: 60,
    inventory: 'delta',
  });
  await sleep(opts.settle * 1000);
  const kernel = smapsRollup(mosq.pid);
  await fleet.stop();
  await mosq.stop();
  return { devices, connected: fleet.connected, kernel };
}

const results = { settleSeconds: opts.settle, hubEnv, hub: [], mosquitto: [] };
for (const n of counts) {
  const r = await measureHub(n);
  results.hub.push(r);
  const perDevice = (x) => (x / n / 1024).toFixed(1);
  console.log(
    `hub ${n}: RSS ${mib(r.kernel.Rss)} MiB = V8 heap ${mib(r.node.heapTotal)} (used ${mib(r.node.heapUsed)}) + external ${mib(r.node.external)} (array buffers ${mib(r.node.arrayBuffers)}) + native ${mib(r.nativeBytes)} MiB; per device: ${perDevice(r.kernel.Rss - r.idleRss)} KiB over idle`,
  );
  if (r.heapTop) console.log(r.heapTop.map((l) => `    ${l}`).join('\n'));
}
if (opts.mosquitto && spawnSync('sh', ['-c', 'command -v mosquitto']).status === 0) {
  // Mosquitto serves the first hub's certificate (its data directory stays until the end).
  const tlsDir = join(results.hub[0].dataDir, 'tls');
  for (const n of counts) {
    const r = await measureMosquitto(n, tlsDir);
    results.mosquitto.push(r);
    console.log(`mosquitto ${n}: RSS ${mib(r.kernel.Rss)} MiB (${(r.kernel.Rss / n / 1024).toFixed(1)} KiB a device)`);
  }
  results.mosquittoVersion = spawnSync('mosquitto', ['-h'], { encoding: 'utf8' }).stdout.split('\n')[0];
}
console.log(JSON.stringify({ machine: machine(), ...results }, null, 2));
writeResult('hub-memory-fleet', results);
process.exit(0);
