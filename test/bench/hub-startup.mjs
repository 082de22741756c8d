// Hub start-up: time from spawning `bascule-hub serve` to accepting connections, measured from the
// outside by polling (every 5 ms) on ports chosen beforehand: first TLS handshake on the MQTT port,
// first `GET /api/v1/health` answered 200 on the HTTPS port, and the "hub ready" log line.
// Cold = empty data directory (creates the CA, server certificate, admin account, migrations);
// warm = the same directory again. Side by side in the same run: mosquitto (bare C broker, TLS with
// the hub's own certificate) and the Node floor (`node` with an HTTPS server and nothing else).
// Usage: node test/bench/hub-startup.mjs [--runs 5]
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  cleanupOnExit,
  fmt,
  freePort,
  httpsGet,
  hubServeArgs,
  parseArgs,
  pollUntil,
  startProcess,
  stats,
  tempDir,
  tlsHandshake,
  writeMosquittoConf,
  writeResult,
} from './lib.mjs';

const opts = parseArgs({ runs: 5 });
const procs = [];
cleanupOnExit(procs);

/** CA of a data directory that has been started once (needed to pin the TLS handshakes). */
const caOf = (dir) => readFileSync(join(dir, 'tls/ca.pem'));

async function hubOnce(dataDir, ca) {
  const httpPort = await freePort();
  const mqttPort = await freePort();
  const t0 = performance.now();
  const p = startProcess(process.execPath, hubServeArgs(dataDir, httpPort, mqttPort));
  procs.push(p);
  // On a cold start the CA does not exist yet: wait for the file before pinning to it.
  const pin = () => ca ?? caOf(dataDir);
  const [mqttMs, httpMs] = await Promise.all([
    pollUntil(() => tlsHandshake(mqttPort, pin()), t0),
    pollUntil(async () => {
      const code = await httpsGet(httpPort, '/api/v1/health', pin());
      if (code !== 200) throw new Error(`health ${code}`);
    }, t0),
  ]);
  const ready = await p.waitFor((e) => e.json?.msg === 'hub ready', 'hub ready');
  await p.stop('SIGTERM');
  return { mqttMs, httpMs, readyLogMs: ready.at - t0, bothMs: Math.max(mqttMs, httpMs) };
}

async function mosquittoOnce(tlsDir, ca) {
  const { dir, port, conf } = await writeMosquittoConf(tlsDir);
  const t0 = performance.now();
  const p = startProcess('mosquitto', ['-c', conf]);
  procs.push(p);
  const ms = await pollUntil(() => tlsHandshake(port, ca), t0);
  await p.stop('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
  return { mqttMs: ms };
}

async function nodeFloorOnce(tlsDir, ca) {
  const port = await freePort();
  const src = `require('node:https').createServer({cert:require('node:fs').readFileSync(${JSON.stringify(
    join(tlsDir, 'server.pem'),
  )}),key:require('node:fs').readFileSync(${JSON.stringify(
    join(tlsDir, 'server.key'),
  )})},(q,s)=>s.end('ok')).listen(${port},'127.0.0.1')`;
  const t0 = performance.now();
  const p = startProcess(process.execPath, ['-e', src]);
  procs.push(p);
  const ms = await pollUntil(async () => {
    if ((await httpsGet(port, '/', ca)) !== 200) throw new Error('not ok');
  }, t0);
  await p.stop('SIGTERM');
  return { httpMs: ms };
}

const results = { hubCold: [], hubWarm: [], mosquitto: [], nodeHttpsFloor: [] };
const dirs = [];
for (let i = 0; i < opts.runs; i++) {
  const dir = tempDir('hub-start');
  dirs.push(dir);
  results.hubCold.push(await hubOnce(dir, null));
  const ca = caOf(dir);
  results.hubWarm.push(await hubOnce(dir, ca));
  results.mosquitto.push(await mosquittoOnce(join(dir, 'tls'), ca));
  results.nodeHttpsFloor.push(await nodeFloorOnce(join(dir, 'tls'), ca));
}
for (const d of dirs) rmSync(d, { recursive: true, force: true });

const ms = (x) => x.toFixed(0);
const summary = {};
console.log(`start-up to accepting connections, ms, ${opts.runs} runs: median (min–max)`);
for (const [name, rs] of Object.entries(results)) {
  summary[name] = {};
  for (const key of ['mqttMs', 'httpMs', 'bothMs', 'readyLogMs']) {
    if (rs[0][key] === undefined) continue;
    summary[name][key] = stats(rs.map((r) => r[key]));
  }
  const line = Object.entries(summary[name])
    .map(([k, s]) => `${k.replace('Ms', '')} ${fmt(s, ms)}`)
    .join('   ');
  console.log(`${name.padEnd(15)} ${line}`);
}
writeResult('hub-startup', { options: opts, summary, results });
