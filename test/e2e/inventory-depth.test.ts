import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENT_BIN,
  AgentProcess,
  type ApiClient,
  adminClient,
  eventually,
  type HubProcess,
  spawnNode,
  startHub,
  tempDir,
} from './support/index.js';

type Inventory = Record<string, { data?: Record<string, unknown>; error?: string; updatedAt: string }>;
interface Package {
  name: string;
  version: string;
  source: string;
}

// A package name no Debian archive uses, so the test never touches a real package.
const PACKAGE = 'bascule-e2e-probe';
const DELAY_SECONDS = 2;

/** A tiny architecture-independent .deb, built with dpkg-deb. */
function buildDeb(dir: string, version: string): string {
  const root = path.join(dir, `pkg-${version}`);
  mkdirSync(path.join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(path.join(root, 'usr/share/doc', PACKAGE), { recursive: true });
  writeFileSync(
    path.join(root, 'DEBIAN/control'),
    `Package: ${PACKAGE}\nVersion: ${version}\nArchitecture: all\nMaintainer: Bascule tests <tests@bascule.invalid>\nDescription: probe package of the Bascule inventory e2e test\n`,
  );
  writeFileSync(path.join(root, 'usr/share/doc', PACKAGE, 'README'), 'probe\n');
  const deb = path.join(dir, `${PACKAGE}_${version}_all.deb`);
  execFileSync('dpkg-deb', ['--build', '--root-owner-group', root, deb], { stdio: 'pipe' });
  return deb;
}

const dpkg = (...args: string[]) => {
  const r = spawnSync('dpkg', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dpkg ${args.join(' ')}: ${r.stderr}`);
};

describe('inventory in depth: every section, and a package change arrives as a delta', () => {
  let hub: HubProcess;
  let api: ApiClient;
  let agent: AgentProcess;
  const work = tempDir('inventory-depth');

  beforeAll(async () => {
    // Not root (a developer's machine): dpkg -i is impossible; the test fails rather than pretends.
    if (process.getuid?.() !== 0) throw new Error('this test installs a .deb: run it as root (CI does)');
    spawnSync('dpkg', ['--purge', PACKAGE]);
    hub = await startHub();
    api = await adminClient(hub);
    agent = new AgentProcess(hub, tempDir('agent'), 60);
    await agent.enroll('Informatique');
    agent.proc = spawnNode([
      AGENT_BIN,
      'run',
      '--state',
      agent.stateDir,
      '--heartbeat-seconds',
      '60',
      '--package-change-delay',
      String(DELAY_SECONDS),
    ]);
  }, 60_000);

  afterAll(async () => {
    await agent?.stop();
    await hub?.stop();
    spawnSync('dpkg', ['--purge', PACKAGE]);
  });

  const inventory = async () => (await api.get<Inventory>(`/api/v1/devices/${agent.deviceId}/inventory`)).body;
  const packages = (inv: Inventory) => (inv.software?.data?.packages ?? []) as Package[];

  it('receives every section, each collected or with its own error', async () => {
    const inv = await eventually(
      async () => {
        const i = await inventory();
        return Object.keys(i).length === 9 ? i : null;
      },
      'the nine inventory sections',
      90_000,
    );
    expect(Object.keys(inv).sort()).toEqual(
      ['antivirus', 'domain', 'hardware', 'modem', 'network', 'os', 'printers', 'software', 'users'].sort(),
    );
    for (const [name, s] of Object.entries(inv)) expect(s.data !== undefined || s.error !== undefined, name).toBe(true);
    expect(inv.os?.data).toMatchObject({ platform: 'linux', lastBoot: expect.any(String) });
    expect((inv.software?.data?.updates as { count: number } | undefined)?.count).toBeGreaterThanOrEqual(0);
    expect(inv.users?.data?.accounts).toEqual(expect.any(Array));
    expect(packages(inv).find((p) => p.name === PACKAGE)).toBeUndefined();
    // The GLPI export of the same device.
    const glpi = await api.get<{ itemtype: string; content: Record<string, unknown> }>(
      `/api/v1/devices/${agent.deviceId}/glpi`,
    );
    expect(glpi.status).toBe(200);
    expect(glpi.body.itemtype).toBe('Computer');
    expect(glpi.body.content.softwares).toEqual(expect.any(Array));
  }, 120_000);

  it('shows an installed, upgraded and removed package as deltas within the delay', async () => {
    // The first (full) inventory is in, and the agent is idle.
    await agent.proc?.waitFor(
      () => agent.proc?.logs().some((l) => l.msg === 'inventory: collected'),
      'the first inventory',
      90_000,
    );
    const collected = () => agent.proc?.logs().filter((l) => l.msg === 'inventory: collected') ?? [];
    const before = collected().length;

    const t0 = Date.now();
    dpkg('-i', buildDeb(work, '1.0'));
    const installed = await eventually(
      async () => packages(await inventory()).find((p) => p.name === PACKAGE),
      'the installed package in the hub',
      60_000,
    );
    const installMs = Date.now() - t0;
    expect(installed).toMatchObject({ version: '1.0', source: 'dpkg', origin: 'Bascule tests' });
    const deltas = collected().slice(before);
    expect(deltas.some((l) => l.kind === 'delta' && (l.sections as string[]).includes('software'))).toBe(true);
    // Only what changed travelled: no hardware, os, users… in the delta.
    expect(deltas.filter((l) => l.kind === 'delta').every((l) => !(l.sections as string[]).includes('hardware'))).toBe(
      true,
    );
    // And only the software section was collected for it: a package change does not re-collect everything.
    expect(deltas.some((l) => l.kind === 'delta' && (l.collected as string[]).join() === 'software')).toBe(true);

    dpkg('-i', buildDeb(work, '1.1'));
    await eventually(
      async () => packages(await inventory()).find((p) => p.name === PACKAGE && p.version === '1.1'),
      'the upgraded package',
      60_000,
    );
    dpkg('--purge', PACKAGE);
    await eventually(
      async () => !packages(await inventory()).some((p) => p.name === PACKAGE),
      'the package gone',
      60_000,
    );
    process.stdout.write(`package change → hub: ${installMs} ms (debounce ${DELAY_SECONDS} s)\n`);
  }, 240_000);

  it('collects and sends a full inventory when the helpdesk asks for one', async () => {
    const hardwareAt = async () => (await inventory()).hardware?.updatedAt ?? '';
    const before = await hardwareAt();
    const fulls = () => agent.proc?.logs().filter((l) => l.msg === 'inventory: collected' && l.kind === 'full') ?? [];
    const fullsBefore = fulls().length;
    const r = await api.post<{ deviceId: string; deferred: boolean }>(
      `/api/v1/devices/${agent.deviceId}/inventory/refresh`,
    );
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ deviceId: agent.deviceId, deferred: false });
    // Hardware travels only in a full inventory (no trigger nor poll collects it): a newer copy is the proof.
    await eventually(async () => ((await hardwareAt()) > before ? true : null), 'a newer hardware section', 90_000);
    expect(fulls().length).toBe(fullsBefore + 1);
  }, 120_000);

  it('refuses a refresh of a device that is offline, saying so', async () => {
    await agent.stop();
    await eventually(
      async () => ((await api.get<{ online: boolean }>(`/api/v1/devices/${agent.deviceId}`)).body.online ? null : true),
      'the device offline',
      30_000,
    );
    const r = await api.post<{ code: string; message: string }>(`/api/v1/devices/${agent.deviceId}/inventory/refresh`);
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('DEVICE_OFFLINE');
    expect(r.body.message).toMatch(/is offline/);
  }, 60_000);
});
