// Agent daemon budget: steady resident memory <= 64 MiB and <= 0.5 % of one core over 10 minutes.
// Starts a hub, enrols a real `bascule-agent run` (default heartbeat, 60 s) and samples
// /proc/PID/status and /proc/PID/stat every few seconds. Side by side in the same run:
//  - a second bascule-agent with a probe preloaded (memoryUsage breakdown, NestJS modules loaded?);
//  - the floor: a bare mqtt.js TLS client publishing the same heartbeat (support/minimal-agent.mjs);
//  - fusioninventory-agent (GLPI's former agent, Perl) idle in daemon mode with a local target.
// Usage: node test/bench/agent-daemon.mjs [--minutes 10] [--sample-seconds 5] [--warmup-seconds 60]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AGENT_BIN,
  cleanupOnExit,
  cpuSecondsOf,
  createToken,
  enrollDevice,
  fakeIdentity,
  fmt,
  memOf,
  mib,
  parseArgs,
  ROOT,
  sleep,
  startHub,
  startProcess,
  stats,
  storedCounts,
  tempDir,
  treeRssOf,
  writeResult,
} from './lib.mjs';

const opts = parseArgs({ minutes: 10, 'sample-seconds': 5, 'warmup-seconds': 60 });
const procs = [];
cleanupOnExit(procs);

const work = tempDir('agent-daemon');
const hubData = join(work, 'hub');
mkdirSync(hubData);
const hub = await startHub(hubData);
procs.push(hub);
const tok = createToken(hubData, 4);
const caPem = readFileSync(join(hubData, 'tls/ca.pem'), 'utf8');

function enrolAgent(name) {
  const state = join(work, name);
  const r = spawnSync(
    process.execPath,
    [AGENT_BIN, 'enroll', '--hub', hub.url, '--token', tok.token, '--ca-hash', hub.caHash, '--state', state],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`enroll ${name} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return state;
}

const stateA = enrolAgent('agent-a');
const stateB = enrolAgent('agent-b');
const floorDev = await enrollDevice(hub.url, caPem, tok.token, fakeIdentity(999));
const caFile = join(work, 'ca.pem');
writeFileSync(caFile, floorDev.caCertPem);
const probeFile = join(work, 'probe.jsonl');

const subjects = {
  agent: startProcess(process.execPath, [AGENT_BIN, 'run', '--state', stateA]),
  agentProbed: startProcess(
    process.execPath,
    ['--import', join(ROOT, 'test/bench/support/probe.mjs'), AGENT_BIN, 'run', '--state', stateB],
    { env: { ...process.env, PROBE_FILE: probeFile, PROBE_SECONDS: '30' } },
  ),
  minimalNodeMqtt: startProcess(process.execPath, [
    join(ROOT, 'test/bench/support/minimal-agent.mjs'),
    floorDev.mqttUrl,
    floorDev.deviceId,
    floorDev.secret,
    caFile,
    '60',
  ]),
  fusioninventoryAgent: startProcess('fusioninventory-agent', [
    '--daemon',
    '--no-fork',
    `--local=${join(work, 'fi-out')}`,
    '--no-httpd',
    '--logger=stderr',
  ]),
};
mkdirSync(join(work, 'fi-out'));
procs.push(...Object.values(subjects));

const t0 = performance.now();
const cpu0 = Object.fromEntries(Object.entries(subjects).map(([k, p]) => [k, cpuSecondsOf(p.pid)]));
const samples = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
samples.hub = [];
let cpuWarm = null;
let tWarm = null;
const durationMs = opts.minutes * 60_000;
console.log(`sampling for ${opts.minutes} min every ${opts['sample-seconds']} s (work dir ${work})`);
while (performance.now() - t0 < durationMs) {
  await sleep(opts['sample-seconds'] * 1000);
  const t = (performance.now() - t0) / 1000;
  for (const [k, p] of Object.entries(subjects)) {
    const m = memOf(p.pid);
    // The tree sum catches helpers the daemon spawns (inventory, dpkg-query) while they run.
    if (m) samples[k].push({ t, ...m, tree: treeRssOf(p.pid) });
  }
  const hm = memOf(hub.pid);
  if (hm) samples.hub.push({ t, ...hm });
  if (cpuWarm === null && t >= opts['warmup-seconds']) {
    cpuWarm = Object.fromEntries(Object.entries(subjects).map(([k, p]) => [k, cpuSecondsOf(p.pid)]));
    tWarm = t;
  }
  if (Math.round(t) % 60 < opts['sample-seconds']) {
    console.log(`  t=${Math.round(t)}s agent RSS ${mib(samples.agent.at(-1)?.rss)} MiB`);
  }
}
const tEnd = (performance.now() - t0) / 1000;
const result = {};
for (const [k, p] of Object.entries(subjects)) {
  const cpuEnd = cpuSecondsOf(p.pid);
  const steady = samples[k].filter((s) => s.t >= opts['warmup-seconds']).map((s) => s.rss);
  const alive = p.child.exitCode === null && p.child.signalCode === null;
  result[k] = {
    alive,
    steadyRss: stats(steady),
    maxRss: stats(samples[k].map((s) => s.rss)).max,
    maxTreeRss: stats(samples[k].map((s) => s.tree)).max,
    hwm: samples[k].at(-1)?.hwm ?? null,
    cpuSeconds: cpuEnd === null ? null : cpuEnd - cpu0[k],
    cpuPercentWhole: cpuEnd === null ? null : ((cpuEnd - cpu0[k]) / tEnd) * 100,
    cpuPercentAfterWarmup: cpuEnd === null || !cpuWarm ? null : ((cpuEnd - cpuWarm[k]) / (tEnd - tWarm)) * 100,
  };
  if (!alive) result[k].stderr = p.stderr().slice(-2000);
}
const hubSteady = samples.hub.filter((s) => s.t >= opts['warmup-seconds']).map((s) => s.rss);
result.hub = { steadyRss: stats(hubSteady), hwm: samples.hub.at(-1)?.hwm ?? null };

let probe = [];
try {
  probe = readFileSync(probeFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
} catch {
  // no probe output: reported as such below
}
const lastProbe = probe.at(-1);
const heartbeats = subjects.agent.lines.filter((l) => /health|heartbeat/i.test(l.json?.msg ?? '')).length;

for (const p of Object.values(subjects)) await p.stop();
await hub.stop();
const stored = storedCounts(hubData).perDevice;

console.log(`\nagent daemon over ${(tEnd / 60).toFixed(1)} min (steady = samples after ${opts['warmup-seconds']} s)`);
console.log(
  'subject                 steady RSS MiB median (min–max)   max RSS  VmHWM   CPU % whole  CPU % after warm-up',
);
for (const [k, r] of Object.entries(result)) {
  if (k === 'hub') continue;
  console.log(
    `${k.padEnd(23)} ${fmt(r.steadyRss, mib).padEnd(34)} ${mib(r.maxRss).padEnd(8)} ${mib(r.hwm).padEnd(7)} ${mib(r.maxTreeRss).padEnd(9)} ${
      r.cpuPercentWhole?.toFixed(3) ?? 'n/a'
    }        ${r.cpuPercentAfterWarmup?.toFixed(3) ?? 'n/a'}${r.alive ? '' : '  (EXITED)'}`,
  );
}
if (lastProbe) {
  const m = lastProbe.memory;
  console.log(
    `probe (agent b, last): rss ${mib(m.rss)} heapTotal ${mib(m.heapTotal)} heapUsed ${mib(m.heapUsed)} external ${mib(
      m.external,
    )} arrayBuffers ${mib(m.arrayBuffers)} MiB; CJS modules ${lastProbe.cjsModuleCount}, NestJS modules ${lastProbe.nestModules}`,
  );
  console.log(`probe packages: ${lastProbe.packages.join(' ')}`);
}
console.log(`agent log lines mentioning health/heartbeat: ${heartbeats}`);
for (const d of stored) {
  console.log(
    `stored by the hub for ${d.hostname} ${d.deviceId}: ${d.healthSamples} health samples, ${d.inventorySections} inventory sections`,
  );
}
writeResult('agent-daemon', { options: opts, durationSeconds: tEnd, result, stored, probe, samples });
rmSync(work, { recursive: true, force: true });
