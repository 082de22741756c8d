import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENT_BIN,
  AgentProcess,
  type ApiClient,
  adminClient,
  eventually,
  type HubProcess,
  REPO,
  spawnNode,
  startHub,
  tempDir,
} from './support/index.js';

/**
 * The `wwan-failover` module and the agent's 4G watcher against a real NetworkManager in a network
 * namespace (../shared/test-rigs.md, section 4; rig: support/nm-rig.sh). A real hub and a real agent; the
 * agent's commands (and its apply child) run inside NetworkManager's namespaces through
 * `--command-prefix "nsenter -t PID -m -n …"`, while its MQTT connection stays on the host.
 *
 * There is no modem here. What is real: NetworkManager, its connectivity check against the "ISP"
 * namespace, ModemManager (which sees no modem: the "no modem" case), the GSM profile the module writes
 * (checked in NetworkManager's keyfile). What stands in: the veth `wwan0` is the modem's link, carried by
 * a second Ethernet profile `backup` (agent setting `--wwan-profile backup`), and for the profile tests an
 * `mmcli` on the agent's PATH answers with the recorded JSON of a modem (fixtures of the unit specs).
 */
const TOOLS = ['NetworkManager', 'nmcli', 'mmcli', 'ModemManager', 'dbus-daemon', 'nsenter', 'ip', 'python3'];
const found = (t: string) =>
  ['/usr/sbin', '/usr/bin', '/sbin', '/bin'].some((d) => fs.existsSync(`${d}/${t}`)) ||
  spawnSync('sh', ['-c', `command -v ${t}`]).status === 0;
const missing = TOOLS.filter((t) => !found(t));
const isRoot = process.getuid?.() === 0;
const canRun = missing.length === 0 && isRoot;
if (!canRun && process.env.CI === 'true') {
  throw new Error(`wwan-failover e2e: needs root and ${missing.join(', ') || 'root'} (see .ci/run)`);
}
if (!canRun) console.warn(`\n*** wwan-failover e2e SKIPPED: needs root and ${missing.join(', ') || 'root'} ***\n`);

const RIG_SCRIPT = path.join(REPO, 'test/e2e/support/nm-rig.sh');
const FIXTURES = path.join(REPO, 'agent/src/modules/wwan-failover/fixtures');
const INVENTORY_FIXTURES = path.join(REPO, 'agent/src/inventory/fixtures');
const NAME = `w${process.pid % 100000}`;
const PIN = '4817';

interface ModuleState {
  module: string;
  status: string;
  error: string | null;
  policyRevision: number;
  observed: Record<string, unknown> | null;
}
interface EventRow {
  type: string;
  ts: string;
  data: Record<string, unknown>;
}

describe.skipIf(!canRun)('wwan-failover: real NetworkManager in a namespace, real hub and agent', () => {
  const rig = tempDir('nm-rig');
  const state = tempDir('wwan-agent');
  let nmPid = '';
  let hub: HubProcess;
  let api: ApiClient;
  let agent: AgentProcess;
  let policyId = '';

  /** A command next to NetworkManager (its network and mount namespaces). */
  const nm = (args: string[]) =>
    execFileSync('nsenter', ['-t', nmPid, '-m', '-n', ...args], { encoding: 'utf8', stdio: 'pipe' });
  const isp = (args: string[]) => execFileSync('ip', ['-n', `${NAME}-isp`, ...args], { stdio: 'pipe' });
  const defaultDev = () => {
    const routes = JSON.parse(nm(['ip', '-j', '-4', 'route', 'show', 'default']) || '[]') as {
      dev: string;
      metric?: number;
    }[];
    return routes.sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0))[0]?.dev ?? 'none';
  };
  const backupActive = () =>
    nm(['nmcli', '-t', '-f', 'GENERAL.STATE', 'connection', 'show', 'backup']).includes('activated');
  const routeIs = (dev: string, timeoutMs: number) =>
    eventually(async () => defaultDev() === dev, `the default route on ${dev}`, timeoutMs);

  const moduleState = async () => {
    const r = await api.get<{ modules: ModuleState[] }>(`/api/v1/devices/${agent.deviceId}/compliance`);
    return r.body.modules.find((m) => m.module === 'wwan-failover');
  };
  const reportOf = (revision: number) =>
    eventually(
      async () => {
        const m = await moduleState();
        return m && m.status !== 'pending' && m.policyRevision === revision ? m : null;
      },
      `the agent's report of policy revision ${revision}`,
      60_000,
    );
  const events = async () =>
    (
      await api.get<EventRow[]>(
        `/api/v1/devices/${agent.deviceId}/events?sort=${encodeURIComponent('["ts","ASC"]')}&range=${encodeURIComponent('[0,99]')}`,
      )
    ).body.filter((e) => e.type.startsWith('wwan.'));

  async function setPolicy(document: Record<string, unknown>): Promise<number> {
    if (!policyId) {
      const created = await api.post<{ id: string; latestRevision: number }>('/api/v1/policies', {
        name: '4G de secours',
        module: 'wwan-failover',
        document,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      policyId = created.body.id;
      const assigned = await api.request('PUT', `/api/v1/policies/${policyId}/assignments`, [{ kind: 'everyone' }]);
      expect(assigned.status).toBe(200);
      return created.body.latestRevision;
    }
    const updated = await api.request<{ latestRevision: number }>('PUT', `/api/v1/policies/${policyId}`, { document });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    return updated.body.latestRevision;
  }

  beforeAll(async () => {
    nmPid = execFileSync(RIG_SCRIPT, ['up', rig, NAME, '5'], { encoding: 'utf8' }).trim().split('\n').at(-1) ?? '';
    nm([
      'nmcli',
      'connection',
      'add',
      'type',
      'ethernet',
      'ifname',
      'pri0',
      'con-name',
      'primary',
      'ipv4.method',
      'manual',
      'ipv4.addresses',
      '10.233.1.2/24',
      'ipv4.gateway',
      '10.233.1.1',
      'ipv4.route-metric',
      '100',
      'ipv6.method',
      'disabled',
      'connection.autoconnect',
      'yes',
    ]);
    nm([
      'nmcli',
      'connection',
      'add',
      'type',
      'ethernet',
      'ifname',
      'wwan0',
      'con-name',
      'backup',
      'ipv4.method',
      'manual',
      'ipv4.addresses',
      '10.233.2.2/24',
      'ipv4.gateway',
      '10.233.2.1',
      'ipv4.route-metric',
      '700',
      'ipv6.method',
      'disabled',
      'connection.autoconnect',
      'yes',
    ]);
    // The stand-in modem: mmcli answers with a recorded modem once RIG/modem-present exists, else it is
    // the real mmcli (the real ModemManager, which sees none).
    fs.writeFileSync(
      path.join(rig, 'bin/mmcli'),
      `#!/bin/sh
if [ ! -f ${rig}/modem-present ]; then exec /usr/bin/mmcli "$@"; fi
case "$*" in
  "-L -J") sed '/^#/d' ${INVENTORY_FIXTURES}/mmcli-list.documented.json.txt ;;
  "-m 0 -J") sed '/^#/d' ${FIXTURES}/mmcli-modem-unlocked.documented.json.txt ;;
  "-i 0 -J") sed '/^#/d' ${INVENTORY_FIXTURES}/mmcli-sim.documented.json.txt ;;
  *) echo "error: not recorded: $*" >&2; exit 1 ;;
esac
`,
      { mode: 0o755 },
    );
    await routeIs('pri0', 30_000);

    hub = await startHub();
    api = await adminClient(hub);
    agent = new AgentProcess(hub, state, 60);
    await agent.enroll('Nomades');
    agent.proc = spawnNode([
      AGENT_BIN,
      'run',
      '--state',
      state,
      '--heartbeat-seconds',
      '60',
      '--command-prefix',
      `nsenter -t ${nmPid} -m -n env PATH=${rig}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      '--wwan-profile',
      'backup',
      '--log-level',
      'debug',
    ]);
    await eventually(
      async () => ((await api.get<{ online: boolean }>(`/api/v1/devices/${agent.deviceId}`)).body.online ? true : null),
      'the agent online',
    );
  }, 120_000);

  afterAll(async () => {
    if (agent?.proc) fs.writeFileSync('/tmp/wwan-e2e-agent.log', agent.proc.stdout.join('\n'));
    await agent?.stop();
    await hub?.stop();
    execFileSync(RIG_SCRIPT, ['down', rig, NAME], { stdio: 'inherit' });
    for (const d of [rig, state]) fs.rmSync(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('no modem (ModemManager sees none): the report says "no modem" and nothing changes', async () => {
    const revision = await setPolicy({ apn: 'orange.fr', operator: '20801', simPin: PIN });
    const m = await reportOf(revision);
    expect(m.status).toBe('failed');
    expect(m.error).toMatch(/^no modem: ModemManager sees no mobile modem on this desktop; nothing was changed/);
    expect(fs.readdirSync(path.join(rig, 'nm/etc/system-connections')).sort()).toEqual([
      'backup.nmconnection',
      'primary.nmconnection',
    ]);
  });

  it('with a modem: the GSM profile in NetworkManager keyfile, pinned to the operator, the PIN never shown', async () => {
    fs.writeFileSync(path.join(rig, 'modem-present'), '');
    // A new revision (the plan's cap), so that the agent applies again now that a modem is there.
    const revision = await setPolicy({ apn: 'orange.fr', operator: '20801', simPin: PIN, monthlyCapMiB: 2048 });
    const m = await reportOf(revision);
    expect(m.status, JSON.stringify(m)).toBe('applied');
    const keyfile = fs.readFileSync(path.join(rig, 'nm/etc/system-connections/bascule-4g.nmconnection'), 'utf8');
    expect(keyfile).toMatch(/^type=gsm$/m);
    expect(keyfile).toMatch(/^\[gsm\]\napn=orange\.fr\nhome-only=true\nnetwork-id=20801\npin=4817$/m);
    expect(keyfile).toMatch(/^\[ipv4\]\nmethod=auto\nroute-metric=700$/m);
    expect(keyfile).toMatch(/^autoconnect-priority=-10$/m);
    expect(m.observed).toMatchObject({
      modem: { model: 'EM7455', operator: 'Orange F', registration: 'home', signalPercent: 67, accessTech: ['lte'] },
      profile: { exists: true, active: false },
      defaultRoute: { via: 'primary', interface: 'pri0' },
    });
    // Nowhere on the hub's API, nor in the agent's output.
    expect(JSON.stringify((await api.get(`/api/v1/policies/${policyId}`)).body)).not.toContain(PIN);
    expect(JSON.stringify((await api.get(`/api/v1/devices/${agent.deviceId}/config`)).body)).not.toContain(PIN);
    expect(JSON.stringify(await moduleState())).not.toContain(PIN);
    expect(agent.proc?.output()).not.toContain(PIN);
  });

  /** Waits until the hub has `n` wwan events (the outage lasts at least that long). */
  const eventsOnHub = (n: number, what: string) =>
    eventually(
      async () => {
        const e = await events();
        return e.length >= n ? e : null;
      },
      what,
      30_000,
    );

  it('passive: cut the primary (address removed upstream, then carrier down), the route moves to the backup and back', async () => {
    await routeIs('pri0', 30_000);
    expect(backupActive()).toBe(true);
    const before = (await events()).length;
    isp(['addr', 'del', '10.233.1.1/24', 'dev', 'isp-pri']);
    await routeIs('wwan0', 90_000);
    // The outage lasts until the hub knows (the agent's watcher looks every 2 s).
    await eventsOnHub(before + 1, 'the failover on the hub');
    isp(['addr', 'add', '10.233.1.1/24', 'dev', 'isp-pri']);
    await routeIs('pri0', 60_000);
    await eventsOnHub(before + 2, 'the failback on the hub');
    isp(['link', 'set', 'isp-pri', 'down']);
    await routeIs('wwan0', 30_000);
    await eventsOnHub(before + 3, 'the second failover on the hub');
    isp(['link', 'set', 'isp-pri', 'up']);
    await routeIs('pri0', 30_000);
    const seen = (await eventsOnHub(before + 4, 'the second failback on the hub')).slice(before);
    expect(seen.map((e) => e.type)).toEqual(['wwan.failover', 'wwan.failback', 'wwan.failover', 'wwan.failback']);
    expect(seen[0]?.data).toMatchObject({ mode: 'passive', from: 'pri0', to: 'wwan0' });
    expect(seen[1]?.data).toMatchObject({ mode: 'passive', from: 'wwan0', to: 'pri0', onWwanMs: expect.any(Number) });
  });

  it('on-demand: the backup stays down while the primary works, comes up after N s without internet, down M s after', async () => {
    const revision = await setPolicy({
      apn: 'orange.fr',
      operator: '20801',
      simPin: '[secret]',
      mode: 'on-demand',
      downAfterSeconds: 5,
      upAfterSeconds: 5,
    });
    const m = await reportOf(revision);
    expect(m.status, JSON.stringify(m)).toBe('applied');
    // The GSM profile no longer connects by itself; the stand-in follows the same rule.
    expect(fs.readFileSync(path.join(rig, 'nm/etc/system-connections/bascule-4g.nmconnection'), 'utf8')).toMatch(
      /^autoconnect=false$/m,
    );
    // The PIN kept by the hub ([secret] sent back) is still in the profile.
    expect(fs.readFileSync(path.join(rig, 'nm/etc/system-connections/bascule-4g.nmconnection'), 'utf8')).toMatch(
      /^pin=4817$/m,
    );
    nm(['nmcli', 'connection', 'modify', 'backup', 'connection.autoconnect', 'no']);
    // The watcher may already have taken it down (the primary works, upAfterSeconds passed).
    if (backupActive()) nm(['nmcli', 'connection', 'down', 'backup']);
    const before = (await events()).length;

    // The primary works: the backup stays down.
    for (let i = 0; i < 10; i++) {
      expect(backupActive()).toBe(false);
      await new Promise((r) => setTimeout(r, 1000));
    }
    isp(['addr', 'del', '10.233.1.1/24', 'dev', 'isp-pri']);
    await eventually(async () => backupActive(), 'the watcher to bring the backup up', 90_000);
    await routeIs('wwan0', 30_000);
    await eventsOnHub(before + 1, 'the on-demand failover on the hub');
    isp(['addr', 'add', '10.233.1.1/24', 'dev', 'isp-pri']);
    await routeIs('pri0', 60_000);
    await eventually(async () => !backupActive(), 'the watcher to take the backup down', 30_000);
    const seen = (await eventsOnHub(before + 2, 'the on-demand failback on the hub')).slice(before);
    expect(seen.map((e) => e.type)).toEqual(['wwan.failover', 'wwan.failback']);
    expect(seen[0]?.data).toMatchObject({ mode: 'on-demand', to: 'wwan0', afterMs: expect.any(Number) });
    expect(seen[0]?.data.afterMs as number).toBeGreaterThanOrEqual(5000);
  });
});
