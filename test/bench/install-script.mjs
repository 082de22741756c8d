#!/usr/bin/env node
// The install command (`installCommand` of `bascule-hub token create --json`) to enrolled, in a Debian
// 12 chroot (minbase + curl + sudo) against a hub on loopback: CA download and check, script, package
// download (over loopback), sha256, dpkg -i, the postinst's enrolment. Each run purges the package first.
//
//   node test/bench/install-script.mjs [--runs 5] [--deb FILE]
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createChroot, runInChroot } from '../../packaging/scripts/debian-chroot.mjs';
import { cleanupOnExit, createToken, fmt, parseArgs, ROOT, startHub, stats, tempDir, writeResult } from './lib.mjs';

const version = JSON.parse(readFileSync(join(ROOT, 'agent/package.json'), 'utf8')).version;
const opts = parseArgs({ runs: 5, deb: join(ROOT, `packaging/dist/bascule-agent_${version}_amd64.deb`) });
if (!existsSync(opts.deb)) throw new Error(`${opts.deb} is missing: run \`npm run package\` first`);

const dataDir = tempDir('install-hub');
const hub = await startHub(dataDir, { BASCULE_AGENT_PACKAGE: opts.deb });
cleanupOnExit([hub]);
const chroot = createChroot(undefined, { include: ['curl', 'sudo'] });
const seconds = [];
try {
  for (let i = 0; i < opts.runs; i++) {
    await runInChroot(chroot.root, ['dpkg', '--purge', 'bascule-agent']);
    const t = createToken(dataDir, 1, 'bench');
    const started = performance.now();
    const r = await runInChroot(chroot.root, ['sh', '-c', t.installCommand], { timeoutMs: 180_000 });
    const s = (performance.now() - started) / 1000;
    if (r.code !== 0 || !/^enrolled \S+$/m.test(r.stdout)) throw new Error(`install failed (${r.code}):\n${r.stderr}`);
    seconds.push(s);
    console.log(`run ${i + 1}: ${s.toFixed(2)} s`);
  }
  const st = stats(seconds);
  console.log(
    `install command to enrolled: median (min–max) ${fmt(st, (x) => x.toFixed(2))} s over ${opts.runs} runs (goal ≤ 10 s)`,
  );
  writeResult('install-script', {
    runs: opts.runs,
    debBytes: statSync(opts.deb).size,
    seconds,
    ...st,
    goalSeconds: 10,
  });
} finally {
  chroot.remove();
  hub.child.kill('SIGTERM');
}
