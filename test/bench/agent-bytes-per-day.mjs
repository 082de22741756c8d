// Bytes on the wire per device per day, fixed line and metered, with the real agent and hub over TLS.
//
// The agent's MQTT connection goes through a counting TCP proxy in this process (TLS bytes, both
// directions, as a 4G plan counts them; TCP/IP headers not included). The clock is accelerated by
// running the agent with `--heartbeat-seconds 1` (60×): the messages are the same as at the default
// 60 s, only more frequent. Measured, per link mode:
//   start-up  = bytes from the TLS handshake until the first health message and the first inventory
//               are stored (CONNECT, retained status, inventory, first sample, the acks);
//   message   = bytes per health message in steady state (a batch of samples and its PUBACK), measured
//               between the hub storing message k and message k+n;
//   ping      = bytes per MQTT keepalive pair (PINGREQ + PINGRESP), measured with mqtt.js on the same
//               TLS connection setup (keepalive 1 s, 10 s idle).
// A day is then: one start-up (a reconnect and, on a fixed line, the daily full inventory) + the health
// messages of a day at the default cadence + the keepalives of a day (see docs/performance.md).
//
// Usage: node test/bench/agent-bytes-per-day.mjs [--fixed-messages 12] [--metered-messages 3]
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { join } from 'node:path';
import {
  AGENT_BIN,
  cleanupOnExit,
  createToken,
  parseArgs,
  ROOT,
  run,
  sleep,
  startHub,
  startProcess,
  tempDir,
  writeResult,
} from './lib.mjs';

const opts = parseArgs({ 'fixed-messages': 12, 'metered-messages': 3 });
const Database = createRequire(join(ROOT, 'hub/package.json'))('better-sqlite3');
const mqtt = createRequire(join(ROOT, 'agent/package.json'))('mqtt');

/** A TCP proxy that counts what goes through it. */
async function countingProxy(targetPort) {
  const counter = { up: 0, down: 0, connections: 0 };
  const server = net.createServer((client) => {
    counter.connections++;
    const upstream = net.connect(targetPort, '127.0.0.1');
    client.on('data', (b) => {
      counter.up += b.length;
      upstream.write(b);
    });
    upstream.on('data', (b) => {
      counter.down += b.length;
      client.write(b);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { counter, port: server.address().port, total: () => counter.up + counter.down, close: () => server.close() };
}

function ingested(hubDir, kind) {
  const db = new Database(join(hubDir, 'bascule.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('select count(*) as n from ingested_messages where kind = ?').get(kind).n;
  } finally {
    db.close();
  }
}

async function waitFor(probe, what, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const hubDir = tempDir('bytes-hub');
const hub = await startHub(hubDir);
const procs = [hub];
cleanupOnExit(procs);
const proxy = await countingProxy(hub.mqttPort);

async function measure(mode, messages) {
  const stateDir = tempDir(`bytes-agent-${mode}`);
  const token = createToken(hubDir, 1, `bytes-${mode}`);
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
  const idFile = join(stateDir, 'identity.json');
  const identity = JSON.parse(readFileSync(idFile, 'utf8'));
  identity.mqttUrl = `mqtts://127.0.0.1:${proxy.port}`;
  writeFileSync(idFile, JSON.stringify(identity), { mode: 0o600 });

  const health0 = ingested(hubDir, 'health');
  const inventory0 = ingested(hubDir, 'inventory');
  const start = proxy.total();
  const agent = startProcess(process.execPath, [
    AGENT_BIN,
    'run',
    '--state',
    stateDir,
    '--heartbeat-seconds',
    '1',
    '--metered',
    mode === 'metered' ? 'on' : 'off',
  ]);
  procs.push(agent);
  agent.child.once('exit', (code) => {
    if (code !== 0 && code !== null) {
      console.error(`agent exited with ${code}:\n${agent.stderr()}`);
      process.exit(1);
    }
  });
  await waitFor(() => ingested(hubDir, 'health') > health0 && ingested(hubDir, 'inventory') > inventory0, 'start-up');
  await sleep(1500); // the acks of the start-up messages
  const startup = proxy.total() - start;

  // Steady state: from the arrival of one health message to the arrival of `messages` more.
  const h1 = await waitFor(() => {
    const n = ingested(hubDir, 'health');
    return n > health0 + 1 ? n : 0;
  }, 'a steady health message');
  const b1 = proxy.total();
  const t1 = Date.now();
  await waitFor(() => ingested(hubDir, 'health') >= h1 + messages, `${messages} health messages`);
  const steady = proxy.total() - b1;
  const seconds = (Date.now() - t1) / 1000;
  agent.child.kill('SIGTERM');
  await new Promise((r) => agent.child.once('exit', r));
  return { mode, startup, perMessage: steady / messages, messages, seconds, identity };
}

async function pingPair(identity) {
  const before = proxy.total();
  const client = await mqtt.connectAsync(identity.mqttUrl, {
    ca: identity.caCertPem,
    clientId: identity.deviceId,
    username: identity.deviceId,
    password: identity.secret,
    protocolVersion: 4,
    keepalive: 1,
    reconnectPeriod: 0,
  });
  let pings = 0;
  client.on('packetsend', (p) => {
    if (p.cmd === 'pingreq') pings++;
  });
  const afterConnect = proxy.total();
  await sleep(10_500);
  const idle = proxy.total() - afterConnect;
  await client.endAsync();
  return { pings, perPair: idle / pings, connect: afterConnect - before };
}

const fixed = await measure('fixed', opts['fixed-messages']);
const metered = await measure('metered', opts['metered-messages']);
const ping = await pingPair(fixed.identity);
proxy.close();
hub.child.kill('SIGTERM');

// A day at the default settings (docs/performance.md): fixed line, a sample a minute sent five at a time
// (288 messages) and, between two messages 5 min apart, 4 keepalives at 60 s; metered, a sample every
// 5 min sent twelve at a time (24 messages), keepalive 300 s (288 pairs).
const day = (m, messagesPerDay, pingsPerDay) => ({
  startup: m.startup,
  health: m.perMessage * messagesPerDay,
  keepalive: ping.perPair * pingsPerDay,
  total: m.startup + m.perMessage * messagesPerDay + ping.perPair * pingsPerDay,
  messagesPerDay,
  pingsPerDay,
});
const fixedDay = day(fixed, 288, 1152);
const meteredDay = day(metered, 24, 288);
const kb = (b) => (b / 1000).toFixed(1);
console.log('\nbytes on the wire (TLS, both directions), measured:');
console.log(`  fixed:   start-up ${fixed.startup} B; ${fixed.perMessage.toFixed(0)} B per health message (5 samples)`);
console.log(
  `  metered: start-up ${metered.startup} B; ${metered.perMessage.toFixed(0)} B per health message (12 samples)`,
);
console.log(
  `  keepalive pair ${ping.perPair.toFixed(0)} B (${ping.pings} pings); TLS connect + MQTT CONNECT ${ping.connect} B`,
);
console.log('\nper device per day at the default settings:');
for (const [name, d, goal] of [
  ['fixed line', fixedDay, 300],
  ['metered', meteredDay, 100],
]) {
  console.log(
    `  ${name.padEnd(10)} ${kb(d.total)} KB (start-up ${kb(d.startup)}, health ${kb(d.health)} in ${d.messagesPerDay} messages, keepalive ${kb(d.keepalive)} in ${d.pingsPerDay} pairs)  goal ≤ ${goal} KB: ${d.total <= goal * 1000 ? 'met' : 'NOT met'}`,
  );
}
const { identity: _f, ...fixedOut } = fixed;
const { identity: _m, ...meteredOut } = metered;
writeResult('agent-bytes-per-day', {
  fixed: fixedOut,
  metered: meteredOut,
  ping,
  perDay: { fixed: fixedDay, metered: meteredDay },
});
process.exit(0);
