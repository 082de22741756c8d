// The fleet registry at the scale of a ministry, against a real hub process over REST.
//   1. CSV import of N lines (50,000 by default; Windows-1252, `;`, as French Excel writes it, with a
//      department tree given as paths `Direction > Service > Bureau`): POST the file (preview with
//      per-line checks), POST confirm, poll GET until done. Timed from the upload to `done`.
//   2. Dashboard aggregates over those N machines: statuses spread over the registry (written to the
//      hub's SQLite file directly, WAL, as the lifecycle API would over many months) and 90 daily
//      snapshots; then each dashboard route is requested R times (HTTPS, keep-alive) and timed.
// Usage: node test/bench/registry.mjs [--machines 50000] [--runs 20] [--days 90]

import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  cleanupOnExit,
  cpuSecondsOf,
  fmt,
  HUB_BIN,
  memOf,
  mib,
  parseArgs,
  ROOT,
  run,
  startHub,
  tempDir,
  writeResult,
} from './lib.mjs';
import { RestClient } from './support/rest-timing.mjs';

const Database = createRequire(join(ROOT, 'hub/package.json'))('better-sqlite3');
const opts = parseArgs({ machines: 50_000, runs: 20, days: 90 });
const procs = [];
cleanupOnExit(procs);
const PASSWORD = 'une phrase de passe pour le banc du registre';

// ~12 directions × 6 services × 4 bureaux: 300 departments, as in a ministry's central administration.
const directions = Array.from({ length: 12 }, (_, i) => `Direction ${String.fromCharCode(65 + i)} — Équipements`);
function departmentOf(i) {
  const d = directions[i % directions.length];
  const s = Math.floor(i / directions.length) % 6;
  const b = Math.floor(i / (directions.length * 6)) % 4;
  return `${d} > Service ${s + 1} (${d.slice(10, 11)}) > Bureau ${b + 1}${d.slice(10, 11)}${s + 1}`;
}
const mac = (i) =>
  `3c:52:${[(i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;

const lines = ["Nom;Numéro de série;Adresse MAC;Entité;Utilisateur;Système d'exploitation"];
for (let i = 0; i < opts.machines; i++) {
  lines.push(
    `PC-${String(i).padStart(6, '0')};SN${(1_000_000 + i).toString(36).toUpperCase()};${mac(i)};${departmentOf(i)};agent.${i}@exemple.gouv.fr;Microsoft Windows 10 Entreprise`,
  );
}
const csv = Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1');
console.log(`CSV: ${opts.machines} lines, ${(csv.length / 1024 / 1024).toFixed(1)} MiB (Windows-1252)`);

const dataDir = tempDir('registry');
const hub = await startHub(dataDir);
procs.push(hub);
const ca = readFileSync(join(dataDir, 'tls/ca.pem'), 'utf8');
run(process.execPath, [HUB_BIN, 'user', 'add', 'bench', '--role', 'admin', '--password-stdin', '--data', dataDir], {
  input: `${PASSWORD}\n`,
});
const client = new RestClient(hub, ca);
await client.login('bench', PASSWORD);

// ---- 1. import
const cpu0 = cpuSecondsOf(hub.pid);
const t0 = performance.now();
const preview = await client.request('POST', '/api/v1/registry/imports?filename=parc.csv&preset=glpi', csv, 'text/csv');
const previewMs = performance.now() - t0;
if (preview.body.errorLines !== 0) throw new Error(`preview found ${preview.body.errorLines} error lines`);
const c0 = performance.now();
await client.request('POST', `/api/v1/registry/imports/${preview.body.id}/confirm`, {});
const samples = [];
let job;
for (;;) {
  const r = await client.request('GET', `/api/v1/registry/imports/${preview.body.id}`);
  job = r.body;
  samples.push({
    atMs: Math.round(performance.now() - c0),
    pollMs: Math.round(r.ms),
    state: job.state,
    progress: job.progress,
  });
  if (job.state !== 'importing') break;
  await new Promise((res) => setTimeout(res, 100));
}
const confirmMs = performance.now() - c0;
const importMs = performance.now() - t0;
const importCpu = cpuSecondsOf(hub.pid) - cpu0;
if (job.state !== 'done' || job.imported !== opts.machines) throw new Error(`import ended ${job.state}: ${job.error}`);
const slowestPoll = Math.max(...samples.map((s) => s.pollMs));
console.log(
  `import: preview ${previewMs.toFixed(0)} ms, confirm → done ${confirmMs.toFixed(0)} ms, total ${(importMs / 1000).toFixed(2)} s (goal < 30 s); hub CPU ${importCpu.toFixed(2)} s; ${samples.length} progress polls, slowest ${slowestPoll} ms`,
);

// ---- 2. statuses and snapshots, written as months of use would leave them
const db = new Database(join(dataDir, 'bascule.db'));
db.pragma('busy_timeout = 5000');
const spread = db.prepare(
  `update registry_machines set status = case
     when abs(random()) % 100 < 30 then 'migrated'
     when abs(random()) % 100 < 10 then 'candidate'
     when abs(random()) % 100 < 8 then 'scheduled'
     when abs(random()) % 100 < 6 then 'exception'
     when abs(random()) % 100 < 3 then 'rolled-back'
     else 'windows' end`,
);
spread.run();
db.prepare(
  `update registry_machines set exception_reason = case abs(random()) % 3 when 0 then 'business-software' when 1 then 'user-declined' else 'profession' end,
     exception_workaround = case when abs(random()) % 2 = 0 then 'RDP (Remmina)' end where status = 'exception'`,
).run();
db.prepare(
  `update registry_departments set phase = case abs(random()) % 4 when 0 then 'beta' when 1 then 'volunteers' when 2 then 'new-machine' else 'linux-by-default' end`,
).run();
const insertDay = db.prepare(
  `insert or replace into registry_snapshots (day, department_id, status, count)
   select ?, coalesce(department_id, ''), status, max(1, count(*) * ? / 100) from registry_machines group by 1, 2, 3`,
);
const insertOrg = db.prepare(
  `insert or replace into registry_snapshots (day, department_id, status, count)
   select ?, '*', status, max(1, count(*) * ? / 100) from registry_machines group by 1, 2, 3`,
);
db.transaction(() => {
  for (let d = opts.days; d >= 1; d--) {
    const day = new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10);
    const pct = Math.round(((opts.days - d + 1) / opts.days) * 100);
    insertDay.run(day, pct);
    insertOrg.run(day, pct);
  }
})();
const departments = db.prepare('select count(*) as n from registry_departments').get().n;
const snapshotRows = db.prepare('select count(*) as n from registry_snapshots').get().n;
db.close();
console.log(`${departments} departments, ${snapshotRows} snapshot rows over ${opts.days} days`);

// ---- 3. dashboard aggregates
const routes = [
  '/api/v1/registry/dashboard',
  '/api/v1/registry/dashboard/departments',
  '/api/v1/registry/dashboard/trend',
  '/api/v1/registry/dashboard/departments?format=csv',
  `/api/v1/registry/machines?filter=${encodeURIComponent(JSON.stringify({ status: 'exception' }))}&range=[0,24]`,
];
// The setup above outlived the server's keep-alive timeout: fresh connections.
client.reconnect();
await client.request('POST', '/api/v1/registry/snapshots'); // today's, through the hub
const results = {};
for (const path of routes) {
  const { last, ...timing } = await client.time(path, opts.runs);
  results[path] = timing;
  console.log(
    `${path}: ${fmt(timing.ms, (x) => `${x.toFixed(1)} ms`)}, p95 ${timing.p95.toFixed(1)} ms, ${timing.bytes} B`,
  );
}
const dash = (await client.request('GET', '/api/v1/registry/dashboard')).body;
console.log(`organisation: ${dash.organisation.total} machines, ${dash.organisation.migratedPct} % migrated`);
const mem = memOf(hub.pid);
console.log(`hub RSS ${mib(mem?.rss)} MiB, VmHWM ${mib(mem?.hwm)} MiB`);

writeResult('registry', {
  machines: opts.machines,
  departments,
  snapshotRows,
  csvBytes: csv.length,
  import: {
    previewMs,
    confirmMs,
    importMs,
    hubCpuSeconds: importCpu,
    polls: samples.length,
    slowestPollMs: slowestPoll,
    samples,
  },
  dashboard: results,
  hubMemory: mem,
});
client.close();
await hub.stop();
rmSync(dataDir, { recursive: true, force: true });
