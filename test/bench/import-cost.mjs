// What a Node process costs in resident memory once given modules are imported: one fresh `node`
// per line (GC forced, then /proc/self/smaps_rollup), to explain where the agent's RSS goes.
// Usage: node test/bench/import-cost.mjs   (or --child MOD... to measure one set)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sleep, writeResult } from './lib.mjs';

const SETS = [
  [],
  ['node:tls'],
  ['zod'],
  ['@bascule/protocol'],
  ['mqtt'],
  ['systeminformation'],
  ['mqtt', 'systeminformation', '@bascule/protocol'],
  ['@nestjs/core', '@nestjs/common', 'nest-commander'],
];

if (process.argv[2] === '--child') {
  for (const m of process.argv.slice(3)) await import(m);
  await sleep(300);
  globalThis.gc();
  await sleep(300);
  const u = process.memoryUsage();
  const sm = readFileSync('/proc/self/smaps_rollup', 'utf8');
  const kb = (k) => Number(sm.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm'))[1]) * 1024;
  console.log(
    JSON.stringify({
      rss: u.rss,
      anonymous: kb('Anonymous'),
      heapTotal: u.heapTotal,
      heapUsed: u.heapUsed,
      external: u.external,
    }),
  );
} else {
  const self = fileURLToPath(import.meta.url);
  const rows = [];
  const mb = (b) => (b / 1048576).toFixed(1).padStart(6);
  console.log('imports (fresh node each, after GC)                 RSS   anon  heapTotal heapUsed  MiB');
  for (const set of SETS) {
    const r = spawnSync(process.execPath, ['--expose-gc', self, '--child', ...set], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.log(`${(set.join(' + ') || '(bare node)').padEnd(50)} failed: ${r.stderr.split('\n')[0]}`);
      continue;
    }
    const m = JSON.parse(r.stdout);
    rows.push({ imports: set, ...m });
    console.log(
      `${(set.join(' + ') || '(bare node)').padEnd(50)} ${mb(m.rss)} ${mb(m.anonymous)} ${mb(m.heapTotal)}   ${mb(m.heapUsed)}`,
    );
  }
  writeResult('import-cost', { rows });
}
