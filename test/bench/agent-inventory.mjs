// `bascule-agent inventory --json` against `fusioninventory-inventory` (GLPI's former agent, Perl),
// interleaved in the same run: wall time, peak resident memory (/usr/bin/time, VmHWM of the whole
// process) and the gzip size (level 6, gzip's default) of what each prints.
// fusioninventory 2.6 prints XML only (no --json); it is measured twice: as shipped (all categories:
// processes, environment, users, controllers, ...) and like-for-like, with --no-category for
// everything the Bascule agent does not collect (it keeps BIOS, OS, CPU, memory, storage, drives,
// network, software, users, printers, antivirus, batteries, monitors, video, modems).
// Bascule is measured twice more: its daemon passes `--state DIR`, where pending updates are cached
// until dpkg's status or apt's lists change (warm: the steady state, every run after the first), and
// after a package change (the pending-updates answer and apt's package cache dropped before each run,
// apt's source cache kept: what dpkg leaves behind), and with an empty state directory per run (cold:
// the first run of a new agent, or after an `apt update` on a system whose apt keeps no cache).
// Usage: node test/bench/agent-inventory.mjs [--runs 5]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AGENT_BIN, fmt, mib, parseArgs, rssOf, stats, tempDir, treeRssOf, writeResult } from './lib.mjs';

const opts = parseArgs({ runs: 5 });
const NOT_COLLECTED_BY_BASCULE = [
  'controller',
  'environment',
  'firewall',
  'input',
  'licenseinfo',
  'local_group',
  'lvm',
  'port',
  'process',
  'psu',
  'remote_mgmt',
  'slot',
  'sound',
  'usb',
  'virtualmachine',
];

const work = tempDir('inventory');
const timeFile = join(work, 'time.txt');
const stateDir = join(work, 'state');
const changedStateDir = join(work, 'state-after-change');

// A function gives a new argv per run (a fresh state directory for the cold case).
const tools = {
  'bascule-agent inventory --json --state DIR (warm)': [
    process.execPath,
    AGENT_BIN,
    'inventory',
    '--json',
    '--state',
    stateDir,
  ],
  'bascule-agent inventory --json --state DIR (after a package change)': () => {
    for (const name of ['pending-updates.json', 'apt-pkgcache.bin'])
      rmSync(join(changedStateDir, 'cache', name), { force: true });
    return [process.execPath, AGENT_BIN, 'inventory', '--json', '--state', changedStateDir];
  },
  'bascule-agent inventory --json --state DIR (cold: empty state directory)': () => [
    process.execPath,
    AGENT_BIN,
    'inventory',
    '--json',
    '--state',
    mkdtempSync(join(work, 'cold-')),
  ],
  // The V8 flags on the command line, as the packaged unit runs it.
  'bascule-agent inventory --json --state DIR (warm), node --lite-mode --max-semi-space-size=1': [
    process.execPath,
    '--lite-mode',
    '--max-semi-space-size=1',
    AGENT_BIN,
    'inventory',
    '--json',
    '--state',
    stateDir,
  ],
  'fusioninventory-inventory (XML, all categories)': ['fusioninventory-inventory'],
  'fusioninventory-inventory (XML, like-for-like)': [
    'fusioninventory-inventory',
    `--no-category=${NOT_COLLECTED_BY_BASCULE.join(',')}`,
  ],
};

/**
 * One run under /usr/bin/time (largest single process's peak RSS, CPU of the tree), while the sum of
 * RSS over the tool's process tree is polled every 10 ms: the agent and fusioninventory both spawn
 * helpers (dpkg-query, dmidecode, ...), so the largest process alone would under-count.
 */
async function once(tool) {
  const argv = typeof tool === 'function' ? tool() : tool;
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%M %e %U %S', '-o', timeFile, ...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = [];
  const err = [];
  child.stdout.on('data', (c) => out.push(c));
  child.stderr.on('data', (c) => err.push(c));
  let peakTree = 0;
  const poll = setInterval(() => {
    // The `time` wrapper itself is left out.
    const tree = treeRssOf(child.pid) - (rssOf(child.pid) ?? 0);
    if (tree > peakTree) peakTree = tree;
  }, 10);
  const code = await new Promise((r) => child.on('close', r));
  clearInterval(poll);
  const wallMs = performance.now() - t0;
  const stdout = Buffer.concat(out);
  const stderr = Buffer.concat(err).toString();
  if (code !== 0) throw new Error(`${argv.join(' ')} failed (${code}): ${stderr.slice(-2000)}`);
  const [maxKb, , user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  return {
    wallMs,
    peakRss: maxKb * 1024,
    peakTreeRss: peakTree,
    cpuSeconds: user + sys,
    bytes: stdout.length,
    gzipBytes: gzipSync(stdout, { level: 6 }).length,
    items: countItems(stdout.toString('utf8')),
    warnings: stderr.split('\n').filter((l) => /warn|error|fail/i.test(l)).length,
  };
}

/** Installed packages reported, and the sections present, to show the payloads are comparable. */
function countItems(text) {
  if (text.startsWith('<?xml')) {
    return {
      packages: (text.match(/<SOFTWARES>/g) ?? []).length,
      sections: [...new Set(text.match(/^ {4}<([A-Z_]+)>/gm)?.map((s) => s.trim()) ?? [])].length,
    };
  }
  const j = JSON.parse(text);
  const sw = j.software?.data ?? j.software ?? {};
  const packages = Object.values(sw)
    .filter(Array.isArray)
    .reduce((n, a) => n + a.length, 0);
  return { packages, sections: Object.keys(j).length };
}

const loadBefore = loadavg().map((x) => x.toFixed(2));
// One discarded round so that every tool starts from a warm page cache (and the warm state directory is primed).
for (const argv of Object.values(tools)) await once(argv);
const runs = Object.fromEntries(Object.keys(tools).map((k) => [k, []]));
for (let i = 0; i < opts.runs; i++) {
  for (const [name, argv] of Object.entries(tools)) runs[name].push(await once(argv));
}
rmSync(work, { recursive: true, force: true });

const summary = {};
const loadAfter = loadavg().map((x) => x.toFixed(2));
console.log(`inventory, ${opts.runs} interleaved runs each: median (min–max)`);
console.log(
  `load average (1, 5, 15 min) before ${loadBefore.join(' ')}, after ${loadAfter.join(' ')} (${opts.runs === 1 ? 'one run' : 'runs'} on ${(await import('node:os')).cpus().length} cores)`,
);
for (const [name, rs] of Object.entries(runs)) {
  summary[name] = {
    wallMs: stats(rs.map((r) => r.wallMs)),
    peakRss: stats(rs.map((r) => r.peakRss)),
    peakTreeRss: stats(rs.map((r) => r.peakTreeRss)),
    cpuSeconds: stats(rs.map((r) => r.cpuSeconds)),
    bytes: stats(rs.map((r) => r.bytes)),
    gzipBytes: stats(rs.map((r) => r.gzipBytes)),
    packages: rs[0].items.packages,
    sections: rs[0].items.sections,
    stderrWarnings: rs[0].warnings,
  };
  const s = summary[name];
  console.log(`\n${name}`);
  console.log(`  wall ms        ${fmt(s.wallMs, (x) => x.toFixed(0))}`);
  console.log(`  CPU s          ${fmt(s.cpuSeconds, (x) => x.toFixed(2))}`);
  console.log(`  peak RSS MiB   ${fmt(s.peakRss, mib)}  (largest single process, /usr/bin/time)`);
  console.log(`  peak tree MiB  ${fmt(s.peakTreeRss, mib)}  (sum over the process tree, polled every 10 ms)`);
  console.log(`  output bytes   ${fmt(s.bytes)}`);
  console.log(`  gzip bytes     ${fmt(s.gzipBytes)}`);
  console.log(`  packages ${s.packages}, top-level sections ${s.sections}, stderr warning lines ${s.stderrWarnings}`);
}
writeResult('agent-inventory', { options: opts, loadBefore, loadAfter, summary, runs });
