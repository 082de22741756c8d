#!/usr/bin/env node
// Bulk enrolment over SSH: `bascule-hub enroll-ssh` against N Debian hosts on loopback (one real sshd,
// one chrooted overlay root per port: test/rigs/ssh-hosts.mjs), from start to the final table, and the
// devices counted in the hub afterwards. Goal (issue 8): 50 hosts in at most 60 s.
//
//   node test/bench/enroll-ssh.mjs [--hosts 50] [--parallel 10] [--deb FILE] [--as-is]
//
// By default the command copies its zstd repack of the package to hosts whose dpkg reads zstd (all of
// the rig's Debian 12 hosts), made at the start of the run from a cold cache, inside the time measured;
// --as-is passes --as-is, for the package itself (xz) to every host.
//
// Needs root, openssh-server, debootstrap. Without --deb it uses packaging/dist's agent package.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SSH_USER, startSshHosts } from '../rigs/ssh-hosts.mjs';
import { cleanupOnExit, cores, HUB_BIN, parseArgs, ROOT, startHub, tempDir, writeResult } from './lib.mjs';

const version = JSON.parse(readFileSync(join(ROOT, 'agent/package.json'), 'utf8')).version;
const opts = parseArgs({
  hosts: 50,
  parallel: 10,
  'as-is': false,
  deb: join(ROOT, `packaging/dist/bascule-agent_${version}_amd64.deb`),
});
if (!existsSync(opts.deb)) throw new Error(`${opts.deb} is missing: run \`npm run package\` first`);

const dataDir = tempDir('enroll-ssh-hub');
const hub = await startHub(dataDir);
cleanupOnExit([hub]);
let t = performance.now();
const rig = await startSshHosts(opts.hosts);
const rigSeconds = (performance.now() - t) / 1000;
console.log(`${opts.hosts} hosts ready in ${rigSeconds.toFixed(1)} s (sshd + overlays)`);
try {
  const work = tempDir('enroll-ssh');
  writeFileSync(join(work, 'hosts'), rig.hosts.map((h) => `127.0.0.1:${h.port}`).join('\n'));
  t = performance.now();
  // `times` after the command: the CPU the enroll-ssh process used (the hub's side: SSH encryption
  // of the package for every host), apart from what the hosts' dpkg and agents used on the same cores.
  const r = spawnSync(
    'sh',
    [
      '-c',
      '"$0" "$@"; rc=$?; times >&2; exit $rc',
      process.execPath,
      HUB_BIN,
      'enroll-ssh',
      '--data',
      dataDir,
      '--hosts',
      join(work, 'hosts'),
      '--user',
      SSH_USER,
      '--key',
      rig.keyFile,
      '--known-hosts',
      join(work, 'known_hosts'),
      '--package',
      opts.deb,
      '--parallel',
      String(opts.parallel),
      '--json',
      ...(opts['as-is'] ? ['--as-is'] : []),
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const seconds = (performance.now() - t) / 1000;
  const cpu = r.stderr
    .trim()
    .split('\n')
    .at(-1)
    ?.match(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/);
  const hubCpuSeconds = cpu ? Number(cpu[1]) * 60 + Number(cpu[2]) + Number(cpu[3]) * 60 + Number(cpu[4]) : null;
  if (!r.stdout.trim().startsWith('[')) throw new Error(`enroll-ssh failed (${r.status}):\n${r.stderr}`);
  const rows = JSON.parse(r.stdout);
  if (rows.length !== opts.hosts)
    throw new Error(`the command's table has ${rows.length} rows for ${opts.hosts} hosts`);
  const enrolled = rows.filter((row) => row.outcome === 'enrolled').length;
  const perHost = rows.map((row) => row.seconds).sort((a, b) => a - b);
  const failures = rows.filter((row) => row.outcome !== 'enrolled').map((row) => `${row.host}: ${row.detail}`);
  const result = {
    hosts: opts.hosts,
    parallel: opts.parallel,
    copied: opts['as-is'] ? 'the package as it is' : 'zstd repack where dpkg reads zstd',
    zstdCopies: rows.filter((row) => row.detail.includes('(zstd copy)')).length,
    cores: cores(),
    debBytes: statSync(opts.deb).size,
    enrolled,
    exitCode: r.status,
    seconds: Number(seconds.toFixed(1)),
    perHostMedianSeconds: perHost[Math.floor(perHost.length / 2)],
    perHostMaxSeconds: perHost.at(-1),
    hubCpuSeconds,
    goalSeconds: 60,
    failures,
  };
  console.log(
    `enroll-ssh (${result.copied}, ${result.zstdCopies} zstd copies): ${enrolled}/${opts.hosts} enrolled in ${seconds.toFixed(1)} s (parallel ${opts.parallel}, ${cores()} cores); per host median ${result.perHostMedianSeconds.toFixed(1)} s, max ${result.perHostMaxSeconds.toFixed(1)} s; enroll-ssh's own CPU ${hubCpuSeconds?.toFixed(1)} s`,
  );
  for (const f of failures.slice(0, 5)) console.log(`  ${f}`);
  writeResult('enroll-ssh', result);
} finally {
  await rig.stop();
  hub.child.kill('SIGTERM');
}
