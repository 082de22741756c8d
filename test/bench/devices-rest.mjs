#!/usr/bin/env node
// Issue 9: the REST API with a ministry-sized fleet. A real `bascule-hub serve`; N devices (50,000 by
// default) written to its SQLite file directly (WAL, while it runs) as months of enrolments and heartbeats
// would leave them: 400 departments, Zorin OS and Ubuntu versions, twelve hardware models, 70 % online,
// a last heartbeat of the agent's shape on each, and open or acknowledged alerts on 6 % of them. Then each
// route the admin UI calls for the device list and the dashboard is requested R times over one keep-alive
// HTTPS connection: round trip median (min–max), p95, and the hub's CPU per request. Goal < 200 ms.
//
//   node test/bench/devices-rest.mjs [--devices 50000] [--runs 20]
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  cleanupOnExit,
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
const opts = parseArgs({ devices: 50_000, runs: 20 });
const procs = [];
cleanupOnExit(procs);
const PASSWORD = 'une phrase de passe pour le banc des postes';

const dataDir = tempDir('devices-rest');
const hub = await startHub(dataDir);
procs.push(hub);
const ca = readFileSync(join(dataDir, 'tls/ca.pem'), 'utf8');
run(process.execPath, [HUB_BIN, 'user', 'add', 'bench', '--role', 'admin', '--password-stdin', '--data', dataDir], {
  input: `${PASSWORD}\n`,
});

// ---- the fleet, as stored
const departments = Array.from(
  { length: 400 },
  (_, i) => `Direction ${Math.floor(i / 20) + 1} — Bureau ${(i % 20) + 1}`,
);
const systems = ['Zorin OS 17.2', 'Zorin OS 17.3', 'Zorin OS 18', 'Ubuntu 24.04.3 LTS', 'Ubuntu 22.04.5 LTS'];
const models = Array.from(
  { length: 12 },
  (_, i) => `${['Dell OptiPlex', 'HP EliteDesk', 'Lenovo ThinkCentre'][i % 3]} ${7000 + i * 10}`,
);
const alertTypes = ['disk-space', 'service-failed', 'antivirus-outdated', 'offline-long'];
const now = Date.now();
const t0 = performance.now();
const db = new Database(join(dataDir, 'bascule.db'));
db.pragma('busy_timeout = 5000');
const insertDevice = db.prepare(
  `insert into devices (id, hostname, department, secret_hash, machine_id, dmi_uuid, serial, macs, enrolled_at,
     token_id, clone_of, online, last_seen_at, os, kernel, model, agent_version, last_heartbeat)
   values (?, ?, ?, ?, ?, ?, ?, ?, ?, null, null, ?, ?, ?, ?, ?, ?, ?)`,
);
const insertAlert = db.prepare(
  `insert into alerts (id, device_id, type, subject, state, message, detail, opened_at, updated_at)
   values (?, ?, ?, '', ?, ?, '{}', ?, ?)`,
);
const iso = (ms) => new Date(ms).toISOString();
db.transaction(() => {
  for (let i = 0; i < opts.devices; i++) {
    const id = `01JDEV${String(i).padStart(20, '0')}`;
    const seen = now - ((i * 7919) % 86_400) * 1000;
    const heartbeat = {
      ts: iso(seen),
      cpuPercent: (i * 13) % 100,
      memUsedBytes: 2_000_000_000 + (i % 5) * 300_000_000,
      memTotalBytes: 8_000_000_000,
      loadAvg: [0.4, 0.3, 0.2],
      uptimeSeconds: 3600 + i,
      disks: [{ mount: '/', usedBytes: 40_000_000_000 + i, totalBytes: 250_000_000_000 }],
      failedUnits: [],
    };
    insertDevice.run(
      id,
      `pc-${departments[i % departments.length].slice(10, 12).trim()}-${String(i).padStart(6, '0')}`,
      departments[i % departments.length],
      `scrypt$${randomBytes(16).toString('base64')}`,
      randomBytes(16).toString('hex'),
      randomBytes(16).toString('hex'),
      `SN${(1_000_000 + i).toString(36).toUpperCase()}`,
      JSON.stringify([`3c:52:82:${(i >> 16) & 255}:${(i >> 8) & 255}:${i & 255}`]),
      iso(now - (i % 365) * 86_400_000),
      i % 10 < 7 ? 1 : 0,
      iso(seen),
      systems[i % systems.length],
      '6.8.0-48-generic',
      models[(i * 7) % models.length],
      '0.1.0',
      JSON.stringify(heartbeat),
    );
    if (i % 50 < 3) {
      const type = alertTypes[i % alertTypes.length];
      insertAlert.run(
        `01JALR${String(i).padStart(20, '0')}`,
        id,
        type,
        i % 2 ? 'open' : 'acknowledged',
        type,
        iso(seen),
        iso(seen),
      );
    }
  }
})();
db.pragma('wal_checkpoint(TRUNCATE)');
db.close();
const seedMs = performance.now() - t0;
console.log(
  `${opts.devices} devices over ${departments.length} departments written in ${(seedMs / 1000).toFixed(1)} s`,
);

// ---- the routes the admin UI calls
const q = (o) => encodeURIComponent(JSON.stringify(o));
const dep = departments[123];
const routes = [
  ['device list, first page by hostname', `/api/v1/devices?sort=${q(['hostname', 'ASC'])}&range=${q([0, 24])}`],
  [
    'device list, page 1,000 by last seen',
    `/api/v1/devices?sort=${q(['lastSeenAt', 'DESC'])}&range=${q([24_975, 24_999])}`,
  ],
  ['device list, one department', `/api/v1/devices?filter=${q({ department: dep })}&range=${q([0, 24])}`],
  [
    'device list, offline, sorted by OS',
    `/api/v1/devices?filter=${q({ online: false })}&sort=${q(['os', 'ASC'])}&range=${q([0, 24])}`,
  ],
  ['device list, search "004217"', `/api/v1/devices?filter=${q({ q: '004217' })}&range=${q([0, 24])}`],
  ['dashboard: fleet overview', '/api/v1/fleet/overview'],
  ['dashboard: fleet overview, one department', `/api/v1/fleet/overview?department=${encodeURIComponent(dep)}`],
  ['departments with counts', '/api/v1/departments'],
];
const client = new RestClient(hub, ca);
await client.login('bench', PASSWORD);
const results = {};
for (const [name, path] of routes) {
  const { last, ...timing } = await client.time(path, opts.runs);
  results[name] = { path, ...timing, total: last.headers['content-range'] ?? null };
  console.log(
    `${name}: ${fmt(timing.ms, (x) => `${x.toFixed(1)} ms`)}, p95 ${timing.p95.toFixed(1)} ms, hub CPU ${timing.hubCpuMsPerRequest.toFixed(1)} ms, ${timing.bytes} B${last.headers['content-range'] ? `, ${last.headers['content-range']}` : ''}`,
  );
}
const overview = (await client.request('GET', '/api/v1/fleet/overview')).body;
if (overview.devices.total !== opts.devices) throw new Error(`overview counts ${overview.devices.total} devices`);
const mem = memOf(hub.pid);
console.log(`hub RSS ${mib(mem?.rss)} MiB, VmHWM ${mib(mem?.hwm)} MiB`);
writeResult('devices-rest', {
  devices: opts.devices,
  departments: departments.length,
  seedMs,
  routes: results,
  hubMemory: mem,
});
client.close();
await hub.stop();
rmSync(dataDir, { recursive: true, force: true });
