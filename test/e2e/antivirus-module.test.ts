import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENT_BIN,
  AgentProcess,
  type ApiClient,
  adminClient,
  eventually,
  type HubProcess,
  runNode,
  spawnNode,
  startHub,
  tempDir,
} from './support/index.js';

/*
 * The `antivirus` module and scans with the real hub and the real agent daemon, real clamscan and a real
 * clamd of the test's own (its clamd.conf, socket and database directory; recipe: ../shared/test-rigs.md
 * section 3). The signature database is written by the test (one EICAR body signature: ClamAV has no
 * built-in one) and the EICAR file is made at test time. There is no systemd here: a `systemctl` put
 * first on the agent's PATH keeps the services' state in a file, so the module's service steps run and
 * are verified; the scans themselves never go through it.
 */

const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
const EICAR_NDB = 'Custom.EICAR.Body:0:*:45494341522d5354414e444152442d414e544956495255532d544553542d46494c45\n';
const SIGNATURE = 'Custom.EICAR.Body.UNOFFICIAL';
const TOOLS = ['clamscan', 'clamdscan', 'clamd'];
const missing = TOOLS.filter(
  (t) => !['/usr/sbin', '/usr/bin', '/sbin', '/bin'].some((d) => fs.existsSync(`${d}/${t}`)),
);
const isRoot = process.getuid?.() === 0;
if ((missing.length > 0 || !isRoot) && process.env.CI === 'true') {
  throw new Error(
    `antivirus e2e: needs root and ${missing.join(', ')} (apt-get install clamav clamav-daemon clamdscan)`,
  );
}
if (missing.length > 0 || !isRoot) {
  console.warn(`\n*** antivirus e2e SKIPPED: needs root and ${missing.join(', ') || '(root only)'} ***\n`);
}

interface EventRow {
  type: string;
  ts: string;
  data: Record<string, unknown> & {
    scanId?: string;
    trigger?: string;
    result?: string;
    engine?: string;
    detections?: { path: string; signature: string; action: string; quarantineId?: string }[];
    errors?: string[];
  };
}

function pong(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(socketPath);
    s.once('connect', () => s.write('zPING\0'));
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString().includes('PONG'));
    });
    s.once('error', () => resolve(false));
  });
}

describe.skipIf(missing.length > 0 || !isRoot)('antivirus module: real hub, agent, clamscan and clamd', () => {
  const rig = tempDir('clam-rig');
  const home = path.join(rig, 'home');
  const db = path.join(rig, 'db');
  const badDb = path.join(rig, 'bad-db');
  const socket = path.join(rig, 'clamd.sock');
  const clamdConf = path.join(rig, 'clamd.conf');
  const freshclamConf = path.join(rig, 'freshclam.conf');
  const dispatcher = path.join(rig, 'dispatcher.d/pre-up.d');
  const bin = path.join(rig, 'bin');
  const eicar = path.join(home, 'alice/Téléchargements/facture.com');
  let clamd: ChildProcess | undefined;
  let hub: HubProcess;
  let agent: AgentProcess;
  let admin: ApiClient;
  const clamavFlags = [
    '--clamd-conf',
    clamdConf,
    '--clamd-socket',
    socket,
    '--clamav-db-dir',
    db,
    '--freshclam-conf',
    freshclamConf,
    '--nm-dispatcher-dir',
    dispatcher,
  ];

  let policyId = '';
  /** Waits until this agent reported the policy's revision applied. */
  const applied = (policyId: string, revision: number) =>
    eventually(
      async () => {
        const c = await admin.get<{ rows: { deviceId: string; policyRevision: number; status: string }[] }>(
          `/api/v1/policies/${policyId}/compliance`,
        );
        const row = c.body.rows.find((r) => r.deviceId === agent.deviceId);
        return row?.policyRevision === revision && row.status === 'applied';
      },
      `revision ${revision} of the antivirus policy applied`,
      60_000,
    );
  const events = async (type: string): Promise<EventRow[]> => {
    const r = await admin.get<EventRow[]>(
      `/api/v1/devices/${agent.deviceId}/events?filter=${encodeURIComponent(JSON.stringify({ type }))}&range=[0,199]`,
    );
    expect(r.status).toBe(200);
    return r.body;
  };
  const finished = (match: (e: EventRow) => boolean, what: string, timeoutMs = 60_000) =>
    eventually(async () => (await events('antivirus.scan.finished')).find(match), what, timeoutMs);
  const makeEicar = () => {
    fs.mkdirSync(path.dirname(eicar), { recursive: true });
    fs.writeFileSync(eicar, EICAR);
    fs.chmodSync(eicar, 0o640);
    fs.chownSync(eicar, 1234, 1234);
  };

  beforeAll(async () => {
    fs.mkdirSync(db);
    fs.writeFileSync(path.join(db, 'custom.ndb'), EICAR_NDB);
    fs.mkdirSync(badDb);
    // An empty database file: "Malformed database", exit 2.
    fs.writeFileSync(path.join(badDb, 'custom.ndb'), '');
    fs.mkdirSync(path.join(home, 'alice/Documents'), { recursive: true });
    fs.writeFileSync(path.join(home, 'alice/Documents/notes.txt'), 'Réunion jeudi 14 h\n');
    fs.writeFileSync(path.join(home, 'alice/Documents/budget.csv'), 'poste;montant\nfournitures;120\n');
    makeEicar();
    fs.writeFileSync(
      clamdConf,
      [
        'Foreground yes',
        `LocalSocket ${socket}`,
        `DatabaseDirectory ${db}`,
        `PidFile ${rig}/clamd.pid`,
        `LogFile ${rig}/clamd.log`,
        `TemporaryDirectory ${rig}`,
        'User root',
        'MaxThreads 4',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      freshclamConf,
      '# freshclam.conf of the rig\nDatabaseOwner clamav\nChecks 24\nDatabaseMirror db.local.clamav.net\n',
    );
    fs.mkdirSync(dispatcher, { recursive: true });
    fs.mkdirSync(bin);
    fs.mkdirSync(path.join(rig, 'services'));
    fs.writeFileSync(
      path.join(bin, 'systemctl'),
      `#!/bin/sh
# The rig's systemctl: services' state in ${rig}/services.
S=${rig}/services
case "$1" in
  is-active) [ -e "$S/$2" ] && { echo active; exit 0; }; echo inactive; exit 3 ;;
  enable) touch "$S/$3" ;;
  disable) rm -f "$S/$3" ;;
  restart) [ -e "$S/$2" ] || exit 5 ;;
  *) exit 0 ;;
esac
`,
      { mode: 0o755 },
    );

    clamd = spawn('clamd', ['-c', clamdConf], { stdio: 'ignore', detached: true });
    await eventually(() => pong(socket), 'clamd answering on its socket', 30_000);

    hub = await startHub();
    admin = await adminClient(hub);
    agent = await new AgentProcess(hub, tempDir('av-agent'), 1).enroll('Accueil');
    agent.proc = spawnNode([AGENT_BIN, 'run', '--state', agent.stateDir, '--heartbeat-seconds', '1', ...clamavFlags], {
      PATH: `${bin}:${process.env.PATH}`,
    });
    await eventually(
      async () => (await admin.get<{ online: boolean }>(`/api/v1/devices/${agent.deviceId}`)).body.online,
      'agent online',
    );
  }, 90_000);

  afterAll(async () => {
    await agent?.stop();
    await hub?.stop();
    if (clamd?.pid) process.kill(clamd.pid, 'SIGTERM');
    fs.rmSync(rig, { recursive: true, force: true });
  });

  it('applies a policy (mirror, freshclam, VPN script) and runs its schedule in the open window: EICAR quarantined, clean files pass', async () => {
    // A window open now, in the desktop's local time, for the next half hour.
    const now = new Date();
    const hhmm = (d: Date) => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    const document = {
      signatures: { mirrorUrl: 'http://clamav.ville.test', checksPerDay: 4 },
      schedules: [{ paths: [home], windowStart: hhmm(now), windowEnd: hhmm(new Date(now.getTime() + 30 * 60_000)) }],
      action: 'quarantine',
      scanBeforeVpn: true,
      onlyOnMainsPower: true,
    };
    const created = await admin.post<{ id: string }>('/api/v1/policies', {
      name: 'Antivirus des postes',
      module: 'antivirus',
      document,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    policyId = created.body.id;
    expect(
      (await admin.request('PUT', `/api/v1/policies/${policyId}/assignments`, [{ kind: 'everyone' }])).status,
    ).toBe(200);
    await applied(policyId, 1);
    const conf = fs.readFileSync(freshclamConf, 'utf8');
    expect(conf).toContain('PrivateMirror http://clamav.ville.test\n');
    expect(conf).toContain('Checks 4\n');
    expect(conf).not.toContain('Checks 24');
    expect(fs.existsSync(path.join(rig, 'services/clamav-freshclam'))).toBe(true);
    const script = path.join(dispatcher, '90-bascule-antivirus-scan');
    expect(fs.statSync(script).mode & 0o777).toBe(0o755);
    expect(fs.readFileSync(script, 'utf8')).toContain(`'--clamd-socket' '${socket}'`);
    // Another action than vpn-pre-up: the script does nothing.
    expect(execFileSync(script, ['wg0', 'up'], { encoding: 'utf8' })).toBe('');

    // The scheduler ticks every minute.
    const scheduled = await finished((e) => e.data.trigger === 'scheduled', 'the scheduled scan', 90_000);
    expect(scheduled.data).toMatchObject({
      result: 'infected',
      engine: 'clamdscan',
      exitCode: 1,
      errors: [],
      detections: [{ path: eicar, signature: SIGNATURE, action: 'quarantined' }],
    });
    expect(fs.existsSync(eicar)).toBe(false);
    expect(fs.readFileSync(path.join(home, 'alice/Documents/notes.txt'), 'utf8')).toBe('Réunion jeudi 14 h\n');
    const started = await events('antivirus.scan.started');
    expect(started.find((e) => e.data.scanId === scheduled.data.scanId)?.data.paths).toEqual([home]);

    // A new revision: applied again, the module's observed state now lists the quarantined file.
    const changed = await admin.request('PUT', `/api/v1/policies/${policyId}`, {
      document: { ...document, signatures: { ...document.signatures, checksPerDay: 6 } },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    await applied(policyId, 2);
    const compliance = await admin.get<{ modules: { module: string; observed: Record<string, unknown> }[] }>(
      `/api/v1/devices/${agent.deviceId}/compliance`,
    );
    expect(compliance.body.modules.find((m) => m.module === 'antivirus')?.observed).toMatchObject({
      installed: true,
      daemonRunning: true,
      mirrorUrl: 'http://clamav.ville.test',
      quarantine: [{ path: eicar, signature: SIGNATURE, sizeBytes: 68 }],
    });
    // The schedule did not change: its window already ran, no second scheduled scan.
    expect((await events('antivirus.scan.finished')).filter((e) => e.data.trigger === 'scheduled')).toHaveLength(1);
  }, 240_000);

  it('scans on demand through the REST action, then restores the quarantined file through REST', async () => {
    makeEicar();
    const r = await admin.post<{ scanId: string }>(`/api/v1/devices/${agent.deviceId}/antivirus/scan`, {
      paths: [path.join(home, 'alice')],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const done = await finished((e) => e.data.scanId === r.body.scanId, 'the on-demand scan');
    expect(done.data).toMatchObject({ trigger: 'on-demand', result: 'infected', engine: 'clamdscan' });
    const quarantineId = done.data.detections?.[0]?.quarantineId as string;
    expect(quarantineId).toMatch(/^[\w-]+$/);
    expect(fs.existsSync(eicar)).toBe(false);

    const audit = await admin.get<{ action: string; actor: string }[]>('/api/v1/audit?range=[0,99]');
    if (audit.status === 200 && Array.isArray(audit.body)) {
      expect(audit.body.some((a) => a.action === 'antivirus.scan' && a.actor === 'admin')).toBe(true);
    }

    const restored = await admin.post<{ path: string }>(
      `/api/v1/devices/${agent.deviceId}/antivirus/quarantine/${quarantineId}/restore`,
      {},
    );
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body.path).toBe(eicar);
    const st = fs.statSync(eicar);
    expect([st.mode & 0o777, st.uid, st.gid]).toEqual([0o640, 1234, 1234]);
    expect(fs.readFileSync(eicar, 'utf8')).toBe(EICAR);
    await eventually(
      async () => (await events('antivirus.quarantine.restored')).find((e) => e.data.quarantineId === quarantineId),
      'the restored event',
    );

    // Again: the record is gone. The scheduled scan's record: a file is there now, never overwritten.
    const again = await admin.post(
      `/api/v1/devices/${agent.deviceId}/antivirus/quarantine/${quarantineId}/restore`,
      {},
    );
    expect(again.status).toBe(404);
    const scheduled = (await events('antivirus.scan.finished')).find((e) => e.data.trigger === 'scheduled');
    const first = scheduled?.data.detections?.[0]?.quarantineId as string;
    const conflict = await admin.post<{ code: string; message: string }>(
      `/api/v1/devices/${agent.deviceId}/antivirus/quarantine/${first}/restore`,
      {},
    );
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({
      code: 'RESTORE_CONFLICT',
      message: expect.stringMatching(/not overwritten/),
    });
    expect(fs.readFileSync(eicar, 'utf8')).toBe(EICAR);
  }, 120_000);

  it('a path that does not exist ends as an error, not as clean; a bad body is refused', async () => {
    const r = await admin.post<{ scanId: string }>(`/api/v1/devices/${agent.deviceId}/antivirus/scan`, {
      paths: [path.join(rig, 'nulle-part')],
    });
    expect(r.status).toBe(202);
    const done = await finished((e) => e.data.scanId === r.body.scanId, 'the scan of a missing path');
    expect(done.data).toMatchObject({ result: 'error', exitCode: 2, detections: [] });
    expect(done.data.errors?.join('\n')).toContain(path.join(rig, 'nulle-part'));

    const bad = await admin.post(`/api/v1/devices/${agent.deviceId}/antivirus/scan`, { paths: ['home'] });
    expect(bad.status).toBe(400);
  }, 120_000);

  it('the before-VPN command scans with clamscan, and its events reach the hub through the daemon', async () => {
    // No clamd socket given: clamscan with the test's database.
    const flags = ['--state', agent.stateDir, '--clamav-db-dir', db, '--clamd-socket', path.join(rig, 'none.sock')];
    const infected = await runNode([AGENT_BIN, 'antivirus', 'scan', '--trigger', 'before-vpn', ...flags, home]);
    expect(infected.code, infected.stderr).toBe(1);
    expect(infected.stdout).toContain(`${eicar}: ${SIGNATURE} (quarantined)`);
    const vpn = await finished((e) => e.data.trigger === 'before-vpn', 'the before-VPN scan event');
    expect(vpn.data).toMatchObject({
      result: 'infected',
      engine: 'clamscan',
      exitCode: 1,
      detections: [{ path: eicar, signature: SIGNATURE, action: 'quarantined' }],
    });
    // Every file was looked at: notes.txt, budget.csv and the EICAR file.
    expect(vpn.data.filesScanned).toBe(3);

    const clean = await runNode([AGENT_BIN, 'antivirus', 'scan', ...flags, path.join(home, 'alice/Documents')]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/^clean: /);
  }, 120_000);

  it('an empty (malformed) database: exit 2 is reported as an error, never as clean', async () => {
    makeEicar();
    const flags = ['--state', agent.stateDir, '--clamav-db-dir', badDb, '--clamd-socket', path.join(rig, 'none.sock')];
    const r = await runNode([AGENT_BIN, 'antivirus', 'scan', ...flags, path.join(home, 'alice/Documents')]);
    expect(r.code).toBe(2);
    const done = await finished(
      (e) => e.data.result === 'error' && e.data.engine === 'clamscan',
      'the scan with a malformed database',
    );
    expect(done.data).toMatchObject({ exitCode: 2, detections: [] });
    expect(done.data.errors?.join('\n')).toMatch(/Malformed database|Empty database/);
    expect(fs.readFileSync(eicar, 'utf8')).toBe(EICAR);
  }, 120_000);

  it('release: the policy unassigned removes the VPN script and the schedule, and keeps the quarantine', async () => {
    const script = path.join(dispatcher, '90-bascule-antivirus-scan');
    expect(fs.existsSync(script)).toBe(true);
    const quarantine = path.join(agent.stateDir, 'quarantine');
    const kept = fs.readdirSync(quarantine).filter((n) => n.endsWith('.json'));
    expect(kept.length).toBeGreaterThan(0);
    expect((await admin.request('PUT', `/api/v1/policies/${policyId}/assignments`, [])).status).toBe(200);
    await eventually(
      async () => !fs.existsSync(script) && !fs.existsSync(path.join(agent.stateDir, 'config/antivirus.json')),
      'the VPN script and the policy file removed',
      60_000,
    );
    expect(fs.readdirSync(quarantine).filter((n) => n.endsWith('.json'))).toEqual(kept);
    expect(fs.readFileSync(freshclamConf, 'utf8')).toContain('PrivateMirror http://clamav.ville.test\n');
  }, 120_000);
});
