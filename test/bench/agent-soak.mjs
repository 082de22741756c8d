// Accelerated soak of the agent daemon: a heartbeat every second for N minutes (10 min = 600
// heartbeats, ten hours of the default 60 s cadence), RSS sampled every 10 s. Answers "does the
// daemon's memory keep growing with the number of messages it sends?" by a least-squares slope over
// the samples after the first minute, printed per hour of real (60 s) cadence.
//
// Usage: node test/bench/agent-soak.mjs [--minutes 10] [--sample-seconds 10]
import {
  AGENT_BIN,
  cleanupOnExit,
  createToken,
  mib,
  parseArgs,
  rssOf,
  run,
  sleep,
  startHub,
  startProcess,
  stats,
  storedCounts,
  tempDir,
  writeResult,
} from './lib.mjs';

const opts = parseArgs({ minutes: 10, 'sample-seconds': 10 });
const hubDir = tempDir('soak-hub');
const stateDir = tempDir('soak-agent');
const hub = await startHub(hubDir);
const procs = [hub];
cleanupOnExit(procs);

const token = createToken(hubDir, 1, 'soak');
run(process.execPath, [
  AGENT_BIN,
  'enroll',
  '--hub',
  hub.url,
  '--token',
  token.token,
  '--ca-hash',
  token.caHash,
  '--state',
  stateDir,
]);
const agent = startProcess(process.execPath, [AGENT_BIN, 'run', '--state', stateDir, '--heartbeat-seconds', '1']);
procs.push(agent);

const samples = [];
const t0 = Date.now();
while (Date.now() - t0 < opts.minutes * 60_000) {
  await sleep(opts['sample-seconds'] * 1000);
  const t = (Date.now() - t0) / 1000;
  const rss = rssOf(agent.child.pid);
  samples.push({ t, rss });
  if (Math.round(t) % 60 < opts['sample-seconds']) console.log(`  t=${Math.round(t)}s agent RSS ${mib(rss)} MiB`);
}

const steady = samples.filter((s) => s.t >= 60);
const n = steady.length;
const mt = steady.reduce((a, s) => a + s.t, 0) / n;
const mr = steady.reduce((a, s) => a + s.rss, 0) / n;
const slope =
  steady.reduce((a, s) => a + (s.t - mt) * (s.rss - mr), 0) / steady.reduce((a, s) => a + (s.t - mt) ** 2, 0);
const heartbeats = storedCounts(hubDir);
const { perDevice: _perDevice, ...heartbeatTotals } = heartbeats;
const perHeartbeat = slope; // bytes per second = bytes per heartbeat at 1 s cadence
const result = {
  minutes: opts.minutes,
  stored: heartbeatTotals,
  rssMiB: stats(steady.map((s) => s.rss / 1048576)),
  bytesPerHeartbeat: perHeartbeat,
  mibPerHourAt60s: (perHeartbeat * 60) / 1048576,
  samples,
};
agent.child.kill('SIGTERM');
hub.child.kill('SIGTERM');
await sleep(1000);
console.log(`heartbeats stored: ${heartbeats.totals.healthSamples}`);
console.log(
  `steady RSS MiB: median ${result.rssMiB.median.toFixed(1)} (${result.rssMiB.min.toFixed(1)}–${result.rssMiB.max.toFixed(1)})`,
);
console.log(
  `trend: ${perHeartbeat.toFixed(0)} bytes per heartbeat = ${result.mibPerHourAt60s.toFixed(3)} MiB per hour at the default 60 s cadence`,
);
writeResult('agent-soak', result);
process.exit(0);
