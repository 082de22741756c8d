// Shared helpers for the benchmark scripts: process sampling from /proc, statistics, machine
// description and result files. Plain Node ESM so that a benchmark needs only a built tree.
import { spawn, spawnSync } from 'node:child_process';
import * as fsAll from 'node:fs';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const HUB_BIN = join(ROOT, 'hub/bin/bascule-hub.js');
export const AGENT_BIN = join(ROOT, 'agent/bin/bascule-agent.js');
export const RESULTS_DIR = join(ROOT, 'test/bench/results');

const PAGE_SIZE = 4096;
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export const MiB = 1024 * 1024;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `--name value` and `--flag` from argv, with defaults. */
export function parseArgs(defaults) {
  const out = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in defaults)) throw new Error(`unknown option --${key}; known: ${Object.keys(defaults).join(', ')}`);
    if (typeof defaults[key] === 'boolean') out[key] = true;
    else out[key] = typeof defaults[key] === 'number' ? Number(argv[++i]) : argv[++i];
  }
  return out;
}

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), `bascule-bench-${prefix}-`));
}

/** VmRSS and VmHWM of a live process, in bytes (null once it has exited). */
export function memOf(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kb = (k) => Number(text.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** CPU time (user + system, children excluded) of a live process, in seconds. */
export function cpuSecondsOf(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name may hold spaces; fields are counted after the closing parenthesis.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

/** RSS from /proc/PID/statm (cheaper than status), bytes. */
export function rssOf(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_SIZE;
  } catch {
    return null;
  }
}

export function stats(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return { median: null, min: null, max: null, n: 0 };
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], n: v.length };
}

export const mib = (b) => (b == null ? 'n/a' : (b / MiB).toFixed(1));

/** "median (min–max)" with a formatter. */
export function fmt(s, f = (x) => String(x)) {
  if (s.n === 0) return 'n/a';
  return s.n === 1 ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}

export function machine() {
  const sh = (cmd, args) => spawnSync(cmd, args, { encoding: 'utf8' }).stdout.trim();
  return {
    nproc: Number(sh('nproc', [])),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memory: sh('free', ['-h']).split('\n')[1]?.replace(/\s+/g, ' '),
    kernel: sh('uname', ['-r']),
    node: process.version,
    date: new Date().toISOString(),
    commit: spawnSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim(),
    uncommittedAgentOrHub:
      spawnSync('git', ['-C', ROOT, 'status', '--short', '--', 'agent', 'hub', 'protocol'], {
        encoding: 'utf8',
      }).stdout.trim().length > 0,
  };
}

/** A path under test/bench/results/ for a log of this run (`name-<date>.log`). */
export function resultLogPath(name) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  return join(RESULTS_DIR, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
}

export function writeResult(name, data) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ bench: name, machine: machine(), ...data }, null, 2)}\n`);
  console.log(`result: ${file}`);
  return file;
}

/**
 * A child process whose stdout lines are collected and parsed as JSON when they can be.
 * `waitFor(pred)` resolves with the first line matching the predicate.
 */
export function startProcess(cmd, args, { logFile, ...opts } = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  if (logFile) {
    // The whole output kept on disk as it comes, so that a crash or a stall can be read afterwards.
    const log = fsAll.createWriteStream(logFile, { flags: 'a' });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
  }
  const lines = [];
  const errLines = [];
  const waiters = [];
  let buf = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    buf += chunk;
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      let json = null;
      try {
        json = JSON.parse(line);
      } catch {
        // not a JSON log line: kept as text only
      }
      const entry = { at: performance.now(), line, json };
      lines.push(entry);
      for (const w of [...waiters]) {
        if (w.pred(entry)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(entry);
        }
      }
      nl = buf.indexOf('\n');
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c) => errLines.push(c));
  const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return {
    child,
    pid: child.pid,
    lines,
    stderr: () => errLines.join(''),
    exited,
    waitFor(pred, what, timeoutMs = 60_000) {
      const found = lines.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolveP, reject) => {
        const t = setTimeout(() => {
          reject(new Error(`timed out waiting for ${what}; stderr: ${errLines.join('').slice(-2000)}`));
        }, timeoutMs);
        const w = {
          pred,
          resolve: (e) => {
            clearTimeout(t);
            resolveP(e);
          },
        };
        waiters.push(w);
        exited.then(({ code, signal }) => {
          if (waiters.includes(w)) {
            clearTimeout(t);
            reject(new Error(`exited (${code ?? signal}) before ${what}; stderr: ${errLines.join('').slice(-2000)}`));
          }
        });
      });
    },
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Runs a command to completion, returning stdout as a Buffer. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { maxBuffer: 256 * MiB, ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr?.toString().slice(-2000)}`);
  }
  return r;
}

/** `bascule-hub serve` on loopback; port 0 lets the OS choose. */
export function hubServeArgs(dataDir, httpPort = 0, mqttPort = 0, sshPort = 0) {
  return [
    HUB_BIN,
    'serve',
    '--data',
    dataDir,
    '--host',
    '127.0.0.1',
    '--public-host',
    '127.0.0.1',
    '--http-port',
    String(httpPort),
    '--mqtt-port',
    String(mqttPort),
    '--ssh-port',
    String(sshPort),
  ];
}

/**
 * Starts `bascule-hub serve` on loopback with OS-chosen ports; resolves once "hub ready" is logged.
 * `logFile`: the hub's stdout and stderr appended to that file as they come. `ports` ({http, mqtt, ssh}):
 * fixed ports instead, for a hub started again where its devices expect it.
 */
export async function startHub(dataDir, env = {}, nodeArgs = [], { logFile, ports = {} } = {}) {
  const t0 = performance.now();
  const args = hubServeArgs(dataDir, ports.http ?? 0, ports.mqtt ?? 0, ports.ssh ?? 0);
  const p = startProcess(process.execPath, [...nodeArgs, ...args], {
    env: { ...process.env, ...env },
    logFile,
  });
  const ready = await p.waitFor((e) => e.json?.msg === 'hub ready', 'hub ready');
  return {
    ...p,
    startedAt: t0,
    readyAt: ready.at,
    httpPort: ready.json.httpPort,
    mqttPort: ready.json.mqttPort,
    sshPort: ready.json.sshPort,
    caHash: ready.json.caHash,
    url: `https://127.0.0.1:${ready.json.httpPort}`,
  };
}

export function createToken(dataDir, uses, department = 'bench') {
  const r = run(process.execPath, [
    HUB_BIN,
    'token',
    'create',
    '--data',
    dataDir,
    '--department',
    department,
    '--uses',
    String(uses),
    '--json',
  ]);
  return JSON.parse(r.stdout.toString());
}

/** Kills any process still running when the script is interrupted. */
export function cleanupOnExit(procs) {
  const killAll = () => {
    for (const p of procs) {
      try {
        p.child?.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      killAll();
      process.exit(130);
    });
  }
}

export const cores = () => cpus().length;

/** POST /api/v1/enroll over HTTPS pinned to the hub CA; resolves with {deviceId, secret, caCertPem, mqttUrl}. */
export async function enrollDevice(hubUrl, caPem, token, identity) {
  const { request } = await import('node:https');
  const body = JSON.stringify({ token, identity });
  return new Promise((resolveP, reject) => {
    const req = request(
      `${hubUrl}/api/v1/enroll`,
      {
        method: 'POST',
        ca: caPem,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`enroll: HTTP ${res.statusCode}: ${text}`));
          else resolveP(JSON.parse(text));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A plausible, unique machine identity for simulated devices. */
export function fakeIdentity(i) {
  const hex = (n, w) => n.toString(16).padStart(w, '0');
  return {
    hostname: `bench-pc-${String(i).padStart(3, '0')}`,
    machineId: `${hex(i, 8)}${'b'.repeat(24)}`,
    dmiUuid: `${hex(i, 8)}-0000-4000-8000-${hex(i, 12)}`,
    serial: `BENCH${String(i).padStart(6, '0')}`,
    macs: [`02:00:00:00:${hex((i >> 8) & 0xff, 2)}:${hex(i & 0xff, 2)}`],
  };
}

/** A TCP port free on loopback right now (the OS picks it; closed again before use). */
export async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((resolveP, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolveP(port));
    });
  });
}

/** Resolves once a TLS handshake (pinned to `ca`) succeeds on 127.0.0.1:port. */
export async function tlsHandshake(port, ca, timeoutMs = 1000) {
  const tls = await import('node:tls');
  return new Promise((resolveP, reject) => {
    const sock = tls.connect({ host: '127.0.0.1', port, ca });
    const t = setTimeout(() => {
      sock.destroy();
      reject(new Error('handshake timeout'));
    }, timeoutMs);
    sock.once('secureConnect', () => {
      clearTimeout(t);
      sock.end();
      resolveP();
    });
    sock.once('error', (err) => {
      clearTimeout(t);
      sock.destroy();
      reject(err);
    });
  });
}

/** GET https://127.0.0.1:port/path pinned to `ca`; resolves with the status code. */
export async function httpsGet(port, path, ca, timeoutMs = 1000) {
  const { get } = await import('node:https');
  return new Promise((resolveP, reject) => {
    const req = get({ host: '127.0.0.1', port, path, ca, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolveP(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Polls `attempt` every `everyMs` until it resolves; returns ms since `since`. */
export async function pollUntil(attempt, since, { everyMs = 5, timeoutMs = 60_000 } = {}) {
  for (;;) {
    try {
      await attempt();
      return performance.now() - since;
    } catch (err) {
      if (performance.now() - since > timeoutMs) throw err;
      await sleep(everyMs);
    }
  }
}

/**
 * A mosquitto.conf in a fresh directory for a TLS listener on a free loopback port, using the hub's
 * certificate files from `tlsDir` (the same certificate in both servers). Returns {dir, port, conf}.
 */
export async function writeMosquittoConf(tlsDir) {
  const dir = tempDir('mosq');
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  const lines = [
    'per_listener_settings false',
    'allow_anonymous true',
    // As root, mosquitto would switch to its own user, which cannot read the hub's 0600 key.
    'user root',
    'persistence false',
    'log_dest stderr',
    'log_type error',
    `listener ${port} 127.0.0.1`,
    `cafile ${join(tlsDir, 'ca.pem')}`,
    `certfile ${join(tlsDir, 'server.pem')}`,
    `keyfile ${join(tlsDir, 'server.key')}`,
    'max_connections -1',
    `pid_file ${dir}/mosquitto.pid`,
    '',
  ];
  writeFileSync(conf, lines.join('\n'));
  return { dir, port, conf };
}

/** Rows the hub stored, read straight from its SQLite file (read-only): totals and per device. */
export function storedCounts(dataDir) {
  const Database = createRequire(join(ROOT, 'hub/package.json'))('better-sqlite3');
  const db = new Database(join(dataDir, 'bascule.db'), { readonly: true, fileMustExist: true });
  try {
    return {
      totals: {
        devices: db.prepare('select count(*) as n from devices').get().n,
        healthSamples: db.prepare('select count(*) as n from health_samples').get().n,
      },
      perDevice: db
        .prepare(
          `select d.id as deviceId, d.hostname,
             (select count(*) from health_samples h where h.device_id = d.id) as healthSamples,
             (select count(*) from inventory_sections i where i.device_id = d.id) as inventorySections
           from devices d order by d.id`,
        )
        .all(),
    };
  } finally {
    db.close();
  }
}

/**
 * The config revision the hub holds for each device ({deviceId → revision}), read-only beside the running
 * hub: simulated devices given it start as devices that applied their config before.
 */
export function configRevisions(dataDir) {
  const Database = createRequire(join(ROOT, 'hub/package.json'))('better-sqlite3');
  const db = new Database(join(dataDir, 'bascule.db'), { readonly: true, fileMustExist: true });
  try {
    return new Map(db.prepare('select device_id, revision from device_configs').raw().all());
  } finally {
    db.close();
  }
}

/** Pids of every live descendant of `pid` (from the ppid field of /proc/N/stat). */
export function descendantsOf(pid) {
  const { readdirSync } = fsAll;
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let text;
    try {
      text = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(name));
  }
  const out = [];
  const stack = [pid];
  while (stack.length) {
    for (const c of children.get(stack.pop()) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

/** Sum of VmRSS of `pid` and all its descendants, bytes (pages shared between them count twice). */
export function treeRssOf(pid) {
  let sum = rssOf(pid) ?? 0;
  for (const c of descendantsOf(pid)) sum += rssOf(c) ?? 0;
  return sum;
}
