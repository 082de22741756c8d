#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
// Agent package: size of the .deb and install-to-enrolled time in a Debian 12 chroot (no systemd).
//
//   node test/bench/agent-package.mjs [--deb FILE] [--runs 3]
//
// Without --deb it uses packaging/dist/bascule-agent_<version>_amd64.deb (run `npm run package` first).
// Each run: fresh chroot, /etc/bascule/enroll.token written, then `dpkg -i` (the postinst enrols);
// timed until the device is listed by the hub's REST API, then until it is online once the daemon is
// started as the unit's ExecStart (what the postinst's deb-systemd-invoke does on a machine with systemd).
import https from 'node:https';
import { join } from 'node:path';
import { createChroot, runInChroot, spawnInChroot } from '../../packaging/scripts/debian-chroot.mjs';
import { unitExecStart } from '../../packaging/scripts/unit-exec.mjs';
import { fmt, HUB_BIN, parseArgs, ROOT, sleep, startHub, stats, tempDir, writeResult } from './lib.mjs';

const version = JSON.parse(readFileSync(join(ROOT, 'agent/package.json'), 'utf8')).version;
const opts = parseArgs({ deb: join(ROOT, `packaging/dist/bascule-agent_${version}_amd64.deb`), runs: 3 });
if (!existsSync(opts.deb)) throw new Error(`${opts.deb} is missing: run \`npm run package\` first`);
const debBytes = statSync(opts.deb).size;
const installedKiB = Number(
  spawnSync('dpkg-deb', ['-f', opts.deb, 'Installed-Size'], { encoding: 'utf8' }).stdout.trim(),
);

/** Minimal REST client (loopback only, the hub's self-signed chain is not checked here). */
function request(base, method, path, body, cookie) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request(
      new URL(path, base),
      {
        method,
        rejectUnauthorized: false,
        agent: false,
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c) => (text += c));
        res.on('end', () => {
          const setCookie = res.headers['set-cookie']?.[0]?.split(';')[0];
          resolve({ status: res.statusCode, body: text ? JSON.parse(text) : undefined, cookie: setCookie });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const hubData = tempDir('package-hub');
const hub = await startHub(hubData);
let oneTime;
for (let i = 0; i < 100 && !oneTime; i++) {
  oneTime = hub.stderr().match(/one-time password: (\S+)/)?.[1];
  if (!oneTime) await sleep(50);
}
if (!oneTime) {
  await hub.stop();
  throw new Error(`no one-time admin password in the hub output: ${hub.stderr()}`);
}
let cookie = (await request(hub.url, 'POST', '/api/v1/auth/login', { username: 'admin', password: oneTime })).cookie;
await request(
  hub.url,
  'POST',
  '/api/v1/auth/password',
  { currentPassword: oneTime, newPassword: 'bench password for the package' },
  cookie,
);
cookie = (
  await request(hub.url, 'POST', '/api/v1/auth/login', {
    username: 'admin',
    password: 'bench password for the package',
  })
).cookie;

async function until(probe, timeoutMs = 60_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return performance.now();
    if (performance.now() > deadline) throw new Error('timed out');
    await sleep(50);
  }
}

const runs = [];
for (let i = 0; i < opts.runs; i++) {
  const chroot = createChroot((l) => console.log(l));
  let daemon;
  try {
    const tok = JSON.parse(
      spawnSync(process.execPath, [HUB_BIN, 'token', 'create', '--data', hubData, '--department', 'Bench', '--json'], {
        encoding: 'utf8',
      }).stdout,
    );
    spawnSync('mkdir', ['-p', join(chroot.root, 'etc/bascule')]);
    writeFileSync(
      join(chroot.root, 'etc/bascule/enroll.token'),
      `hub=${tok.hubUrl}\ntoken=${tok.token}\nca-hash=${tok.caHash}\n`,
    );
    copyFileSync(opts.deb, join(chroot.root, 'tmp/agent.deb'));
    const before = new Set(
      (await request(hub.url, 'GET', '/api/v1/devices?range=[0,9999]', undefined, cookie)).body.map((d) => d.id),
    );

    const t0 = performance.now();
    const r = await runInChroot(chroot.root, ['dpkg', '-i', '/tmp/agent.deb']);
    const tInstalled = performance.now();
    if (r.code !== 0) throw new Error(`dpkg -i failed: ${r.stderr}`);
    let deviceId;
    const tVisible = await until(async () => {
      const list = (await request(hub.url, 'GET', '/api/v1/devices?range=[0,9999]', undefined, cookie)).body;
      deviceId = list.find((d) => !before.has(d.id))?.id;
      return deviceId;
    });
    const unit = readFileSync(join(chroot.root, 'lib/systemd/system/bascule-agent.service'), 'utf8');
    const { argv, env } = unitExecStart(unit, readFileSync(join(chroot.root, 'etc/bascule/agent.conf'), 'utf8'));
    daemon = spawnInChroot(chroot.root, argv, env);
    const tOnline = await until(
      async () => (await request(hub.url, 'GET', `/api/v1/devices/${deviceId}`, undefined, cookie)).body.online,
    );
    const run = {
      dpkgSeconds: (tInstalled - t0) / 1000,
      visibleSeconds: (tVisible - t0) / 1000,
      onlineSeconds: (tOnline - t0) / 1000,
    };
    console.log(
      `run ${i + 1}: dpkg -i ${run.dpkgSeconds.toFixed(2)} s, listed ${run.visibleSeconds.toFixed(2)} s, online ${run.onlineSeconds.toFixed(2)} s`,
    );
    runs.push(run);
  } finally {
    daemon?.kill('SIGTERM');
    if (daemon) await new Promise((r) => daemon.once('exit', r));
    chroot.remove();
  }
}
await hub.stop();
rmSync(hubData, { recursive: true, force: true });

const s = (k) => stats(runs.map((r) => r[k]));
const sec = (x) => `${x.toFixed(2)} s`;
console.log(
  `\npackage ${opts.deb.split('/').at(-1)}: ${(debBytes / 1024 / 1024).toFixed(1)} MiB (.deb), ${(installedKiB / 1024).toFixed(1)} MiB installed`,
);
console.log(`dpkg -i (postinst enrols from the token): ${fmt(s('dpkgSeconds'), sec)}`);
console.log(`dpkg -i to listed by the hub:             ${fmt(s('visibleSeconds'), sec)}`);
console.log(`dpkg -i to online (daemon started):       ${fmt(s('onlineSeconds'), sec)}`);
writeResult('agent-package', { deb: opts.deb, debBytes, installedKiB, runs });
