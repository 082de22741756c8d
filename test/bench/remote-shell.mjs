// Remote shell through the hub's SSH gateway, side by side in the same run with a local OpenSSH sshd:
//  - time from `ssh -tt` to a usable prompt (goal < 1 s);
//  - keystroke echo latency, median and p95 (goal: median <= direct sshd + 10 ms), node-pty driving ssh;
//  - throughput of `ssh host 'head -c 200M /dev/zero' | wc -c` (goal >= 10 MB/s).
// Hub, agent, sshd and the client all run on this machine (loopback): the gateway's cost is what
// differs between the two columns (ssh2 + MQTT relay + agent's pty vs sshd's own pty).
// Usage: node test/bench/remote-shell.mjs [--prompts 10] [--keys 200] [--throughput-runs 3] [--megabytes 200] [--cipher NAME]
// (--cipher: the ssh client's -c, e.g. aes128-gcm@openssh.com; default: OpenSSH's own choice)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import pty from 'node-pty';
import {
  AGENT_BIN,
  cleanupOnExit,
  freePort,
  HUB_BIN,
  parseArgs,
  run,
  sleep,
  startHub,
  startProcess,
  stats,
  tempDir,
  writeResult,
} from './lib.mjs';

const opts = parseArgs({ prompts: 10, keys: 200, 'throughput-runs': 3, megabytes: 200, cipher: '' });
const procs = [];
cleanupOnExit(procs);

const work = tempDir('remote-shell');
const key = join(work, 'id_ed25519');
run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench', '-f', key]);

// --- the hub, a helpdesk account with the key, and one real agent on this machine
const hubData = join(work, 'hub');
mkdirSync(hubData);
const hub = await startHub(hubData);
procs.push(hub);
run(process.execPath, [
  HUB_BIN,
  'user',
  'add',
  'bench',
  '--role',
  'helpdesk',
  '--ssh-key',
  `${key}.pub`,
  '--data',
  hubData,
]);
const token = JSON.parse(
  run(process.execPath, [HUB_BIN, 'token', 'create', '--data', hubData, '--department', 'bench', '--json']).stdout,
);
const state = join(work, 'agent');
run(process.execPath, [
  AGENT_BIN,
  'enroll',
  '--hub',
  hub.url,
  '--token',
  token.token,
  '--ca-hash',
  hub.caHash,
  '--state',
  state,
]);
const agent = startProcess(process.execPath, [AGENT_BIN, 'run', '--state', state]);
procs.push(agent);

// --- a local OpenSSH sshd on loopback, root login with the same key
const sshdDir = join(work, 'sshd');
mkdirSync(sshdDir);
mkdirSync('/run/sshd', { recursive: true });
run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(sshdDir, 'host_ed25519_key')]);
writeFileSync(join(sshdDir, 'authorized_keys'), run('cat', [`${key}.pub`]).stdout);
const sshdPort = await freePort();
writeFileSync(
  join(sshdDir, 'sshd_config'),
  [
    `Port ${sshdPort}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(sshdDir, 'host_ed25519_key')}`,
    `PidFile ${join(sshdDir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(sshdDir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'PrintMotd no',
    'PrintLastLog no',
    'AcceptEnv LANG LC_*',
    '',
  ].join('\n'),
);
const sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(sshdDir, 'sshd_config')], { stdio: 'ignore' });
procs.push({ child: sshd });
await sleep(300);

const targets = {
  gateway: { port: hub.sshPort, login: `bench+${hostname()}` },
  sshd: { port: sshdPort, login: 'root' },
};
const sshArgs = (t) => [
  ...(opts.cipher ? ['-c', opts.cipher] : []),
  '-F',
  '/dev/null',
  '-p',
  String(t.port),
  '-i',
  key,
  '-o',
  'IdentitiesOnly=yes',
  '-o',
  'StrictHostKeyChecking=no',
  '-o',
  'UserKnownHostsFile=/dev/null',
  '-o',
  'BatchMode=yes',
  '-o',
  'LogLevel=ERROR',
  `${t.login}@127.0.0.1`,
];

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences are what we strip
const ESCAPES = /\x1b\[[0-9;?]*[a-zA-Z]|\x1b\][^\x07]*\x07/g;
const PROMPT = /[#$] $/;

/** Opens an interactive session in a pty; resolves once the prompt shows, with the time it took. */
function openShell(t) {
  const t0 = performance.now();
  const term = pty.spawn('ssh', ['-tt', ...sshArgs(t)], {
    name: 'xterm-256color',
    cols: 120,
    rows: 40,
    env: process.env,
  });
  let screen = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no prompt from ${t.login}: ${JSON.stringify(screen)}`)), 15_000);
    const sub = term.onData((d) => {
      screen += d;
      if (PROMPT.test(screen.replace(ESCAPES, '').replace(/\r?\n/g, '\n'))) {
        clearTimeout(timer);
        sub.dispose();
        resolve({ term, ms: performance.now() - t0 });
      }
    });
  });
}

function closeShell(term) {
  return new Promise((resolve) => {
    term.onExit(() => resolve());
    term.write('exit\r');
    setTimeout(() => {
      term.kill();
      resolve();
    }, 3_000).unref();
  });
}

async function promptTimes(t) {
  const times = [];
  for (let i = 0; i < opts.prompts; i++) {
    const { term, ms } = await openShell(t);
    times.push(ms);
    await closeShell(term);
  }
  return times;
}

/** Types one character at a time and waits for its echo. */
async function echoLatencies(t) {
  const { term } = await openShell(t);
  const out = [];
  for (let i = 0; i < opts.keys; i++) {
    if (i > 0 && i % 40 === 0) {
      term.write('\x15'); // ^U: clear the line, so that it never wraps
      await sleep(50);
    }
    const ch = String.fromCharCode(97 + (i % 26));
    const t0 = performance.now();
    await new Promise((resolve) => {
      const sub = term.onData((d) => {
        if (d.includes(ch)) {
          sub.dispose();
          resolve();
        }
      });
      term.write(ch);
    });
    out.push(performance.now() - t0);
    await sleep(5);
  }
  term.write('\x15');
  await closeShell(term);
  return out;
}

function throughput(t) {
  const bytes = opts.megabytes * 1024 * 1024;
  const runs = [];
  for (let i = 0; i < opts['throughput-runs']; i++) {
    const t0 = performance.now();
    const r = spawnSync('sh', ['-c', `ssh ${sshArgs(t).join(' ')} 'head -c ${opts.megabytes}M /dev/zero' | wc -c`], {
      encoding: 'utf8',
    });
    const s = (performance.now() - t0) / 1000;
    if (Number(r.stdout.trim()) !== bytes) throw new Error(`${t.login}: got ${r.stdout.trim()} bytes: ${r.stderr}`);
    runs.push(bytes / 1e6 / s);
  }
  return runs;
}

// The agent is ready once a command goes through the gateway.
for (let tries = 0; ; tries++) {
  const r = spawnSync('ssh', [...sshArgs(targets.gateway), 'true'], { encoding: 'utf8' });
  if (r.status === 0) break;
  if (tries > 100) throw new Error(`the gateway never ran a command: ${r.stderr}`);
  await sleep(200);
}

const p95 = (values) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))];
const results = {};
for (const [name, t] of Object.entries(targets)) {
  const prompt = await promptTimes(t);
  const echo = await echoLatencies(t);
  const mbps = throughput(t);
  results[name] = {
    promptMs: stats(prompt),
    echoMs: { ...stats(echo), p95: p95(echo) },
    throughputMBps: stats(mbps),
  };
}

const f = (x, d = 1) => (x == null ? 'n/a' : x.toFixed(d));
console.log('\n                       gateway (hub)     direct sshd');
console.log(
  `prompt, median ms      ${f(results.gateway.promptMs.median).padEnd(18)}${f(results.sshd.promptMs.median)}`,
);
console.log(
  `echo, median ms        ${f(results.gateway.echoMs.median, 2).padEnd(18)}${f(results.sshd.echoMs.median, 2)}`,
);
console.log(`echo, p95 ms           ${f(results.gateway.echoMs.p95, 2).padEnd(18)}${f(results.sshd.echoMs.p95, 2)}`);
console.log(
  `throughput, MB/s       ${f(results.gateway.throughputMBps.median).padEnd(18)}${f(results.sshd.throughputMBps.median)}`,
);
writeResult('remote-shell', { opts, results });

await agent.stop();
await hub.stop();
sshd.kill('SIGTERM');
process.exit(0);
