#!/usr/bin/env node
// Hub package: size of the .deb and the time from `dpkg -i` to /api/v1/health answering, in a Debian 12
// chroot (no systemd), and the size and duration of a backup of the fresh hub.
//
//   node test/bench/hub-package.mjs [--deb FILE] [--runs 3]
//
// Without --deb it uses packaging/dist/bascule-hub_<version>_amd64.deb (`npm run package` first).
// Each run: fresh chroot; `dpkg -i` (creates the user and /var/lib/bascule-hub); ports written into
// /etc/bascule/hub.conf; the unit's ExecStart started as bascule-hub (what deb-systemd-invoke start
// does with systemd); timed until GET /api/v1/health answers 200 over HTTPS from outside the chroot.
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { createChroot, runInChroot, spawnInChroot } from '../../packaging/scripts/debian-chroot.mjs';
import { unitExecStart } from '../../packaging/scripts/unit-exec.mjs';
import { fmt, freePort, parseArgs, ROOT, sleep, stats, writeResult } from './lib.mjs';

const version = JSON.parse(readFileSync(join(ROOT, 'hub/package.json'), 'utf8')).version;
const opts = parseArgs({ deb: join(ROOT, `packaging/dist/bascule-hub_${version}_amd64.deb`), runs: 3 });
if (!existsSync(opts.deb)) throw new Error(`${opts.deb} is missing: run \`npm run package\` first`);
const debBytes = statSync(opts.deb).size;
const installedKiB = Number(
  spawnSync('dpkg-deb', ['-f', opts.deb, 'Installed-Size'], { encoding: 'utf8' }).stdout.trim(),
);

function health(port) {
  return new Promise((resolve) => {
    const req = https.get(
      { host: '127.0.0.1', port, path: '/api/v1/health', rejectUnauthorized: false, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
      },
    );
    req.on('error', () => resolve(false));
  });
}

async function until(probe, timeoutMs = 60_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await probe()) return performance.now();
    if (performance.now() > deadline) throw new Error('timed out');
    await sleep(20);
  }
}

const runs = [];
for (let i = 0; i < opts.runs; i++) {
  const chroot = createChroot((l) => console.log(l));
  let hub;
  try {
    const port = await freePort();
    const mqtt = await freePort();
    copyFileSync(opts.deb, join(chroot.root, 'tmp/hub.deb'));
    const t0 = performance.now();
    const r = await runInChroot(chroot.root, ['dpkg', '-i', '/tmp/hub.deb']);
    const tInstalled = performance.now();
    if (r.code !== 0) throw new Error(`dpkg -i failed: ${r.stderr}`);
    const conf = join(chroot.root, 'etc/bascule/hub.conf');
    appendFileSync(conf, `HOST=127.0.0.1\nPUBLIC_HOST=127.0.0.1\nHTTP_PORT=${port}\nMQTT_PORT=${mqtt}\n`);
    const unit = readFileSync(join(chroot.root, 'lib/systemd/system/bascule-hub.service'), 'utf8');
    const { argv, env } = unitExecStart(unit, readFileSync(conf, 'utf8'));
    hub = spawnInChroot(
      chroot.root,
      ['setpriv', '--reuid=bascule-hub', '--regid=bascule-hub', '--init-groups', '--', ...argv],
      env,
    );
    hub.stdout.resume();
    hub.stderr.resume();
    const tHealthy = await until(() => health(port));
    const b0 = performance.now();
    const b = await runInChroot(chroot.root, ['bascule-hub', 'backup', '/var/backups/bascule-hub/bench.tar.gz']);
    const backupSeconds = (performance.now() - b0) / 1000;
    if (b.code !== 0) throw new Error(`backup failed: ${b.stderr}`);
    const run = {
      dpkgSeconds: (tInstalled - t0) / 1000,
      healthSeconds: (tHealthy - t0) / 1000,
      backupSeconds,
      backupBytes: statSync(join(chroot.root, 'var/backups/bascule-hub/bench.tar.gz')).size,
    };
    console.log(
      `run ${i + 1}: dpkg -i ${run.dpkgSeconds.toFixed(2)} s, health ${run.healthSeconds.toFixed(2)} s, backup ${backupSeconds.toFixed(2)} s`,
    );
    runs.push(run);
  } finally {
    hub?.kill('SIGTERM');
    if (hub) await new Promise((r) => hub.once('exit', r));
    chroot.remove();
  }
}

const s = (k) => stats(runs.map((r) => r[k]));
const sec = (x) => `${x.toFixed(2)} s`;
console.log(
  `\npackage ${opts.deb.split('/').at(-1)}: ${(debBytes / 1024 / 1024).toFixed(1)} MiB (.deb), ${(installedKiB / 1024).toFixed(1)} MiB installed`,
);
console.log(`dpkg -i (user, state directory):          ${fmt(s('dpkgSeconds'), sec)}`);
console.log(`dpkg -i to /api/v1/health answering:      ${fmt(s('healthSeconds'), sec)}`);
console.log(
  `bascule-hub backup (fresh hub, CLI start): ${fmt(s('backupSeconds'), sec)}, ${runs[0]?.backupBytes} bytes`,
);
writeResult('hub-package', { deb: opts.deb, debBytes, installedKiB, runs });
