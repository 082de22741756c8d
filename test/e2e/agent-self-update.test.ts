import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Plain ESM helpers shared with `npm run package` and the package test (agent-package.test.ts).
import { buildAgentDeb } from '../../packaging/build-agent-deb.mjs';
import { createChroot, missingTools, runInChroot, spawnInChroot } from '../../packaging/scripts/debian-chroot.mjs';
import { unitExecStart } from '../../packaging/scripts/unit-exec.mjs';
import {
  type ApiClient,
  adminClient,
  eventually,
  HUB_BIN,
  type HubProcess,
  Proc,
  REPO,
  runNode,
  startHub,
  tempDir,
} from './support/index.js';

/*
 * Self-update through an agent-update policy, with the real package: version A installed with dpkg in a
 * debootstrap'd Debian 12 chroot (no systemd there), enrolled against a hub on loopback and run as its
 * unit's ExecStart under a loop that restarts it on exit 75, as systemd's Restart=on-failure would.
 * Version B goes into the hub's store (`bascule-hub agent-package add`); a policy names it; the agent
 * downloads it from the hub, checks its sha256, installs it with dpkg, exits 75 and comes back as B,
 * with the same device id. Both packages are built with gzip (about 7 s each instead of 25 s with xz).
 */

const missing = [...missingTools(), ...(process.getuid?.() === 0 ? [] : ['root (chroot, unshare -m)'])];
if (missing.length > 0) {
  const message = `agent self-update test needs: ${missing.join(', ')} (apt-get install ${missing.join(' ')})`;
  if (process.env.CI) throw new Error(message);
  console.warn(`\n*** SKIPPED: ${message} ***\n`);
}

const VERSION_A = JSON.parse(readFileSync(join(REPO, 'agent/package.json'), 'utf8')).version as string;
const VERSION_B = `${VERSION_A}+selfupdate1`;

interface Device {
  id: string;
  online: boolean;
  agentVersion: string | null;
}
interface Inventory {
  software?: { data?: { packages: { name: string; version: string }[] } };
}
interface ModuleState {
  module: string;
  status: string;
  policyRevision: number;
  error: string | null;
  steps: { description: string; outcome: string }[];
  observed: { running?: string; installed?: string | null } | null;
}

/** A GET with the given Authorization header (the device download is not for a user session). */
function getWith(url: string, authorization?: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { rejectUnauthorized: false, headers: authorization ? { authorization } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(missing.length > 0)('agent self-update through an agent-update policy, in a Debian 12 chroot', () => {
  let debA: string;
  let debB: string;
  let chroot: ReturnType<typeof createChroot>;
  let hub: HubProcess;
  let api: ApiClient;
  let daemon: Proc | undefined;
  let deviceId = '';
  let policyId = '';
  const buildSeconds: number[] = [];

  const file = (path: string) => join(chroot.root, path);
  const inChroot = (argv: string[]) => runInChroot(chroot.root, argv);
  const addToHub = (deb: string) => runNode([HUB_BIN, 'agent-package', 'add', deb, '--data', hub.dataDir, '--json']);
  /**
   * The unit's ExecStart, restarted on exit 75 as systemd's Restart=on-failure does. The argv is read
   * once: an upgrade that changed the unit's command line would need a daemon-reload anyway.
   */
  const startSupervised = () => {
    const unit = readFileSync(file('lib/systemd/system/bascule-agent.service'), 'utf8');
    const { argv, env } = unitExecStart(unit, readFileSync(file('etc/bascule/agent.conf'), 'utf8'));
    const loop =
      'while :; do "$@"; code=$?; [ "$code" = 75 ] || exit "$code"; echo "supervisor: exit 75, starting again" >&2; done';
    return new Proc(spawnInChroot(chroot.root, ['sh', '-c', loop, 'supervisor', ...argv], env));
  };
  const agentUpdate = async () => {
    const c = (await api.get<{ modules: ModuleState[] }>(`/api/v1/devices/${deviceId}/compliance`)).body;
    return c.modules.find((m) => m.module === 'agent-update');
  };
  const onlineAs = (version: string) =>
    eventually(
      async () => {
        const device = (await api.get<Device>(`/api/v1/devices/${deviceId}`)).body;
        const inventory = (await api.get<Inventory>(`/api/v1/devices/${deviceId}/inventory`)).body;
        const ours = inventory.software?.data?.packages.find((p) => p.name === 'bascule-agent');
        return device.online && device.agentVersion === version && ours?.version === version ? device : null;
      },
      `device online as bascule-agent ${version} (status and inventory)`,
      90_000,
    );
  const setPolicy = async (document: Record<string, unknown>) => {
    const r = await api.request<{ latestRevision: number }>('PUT', `/api/v1/policies/${policyId}`, { document });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.latestRevision;
  };
  const reported = (revision: number, status: string, running?: string) =>
    eventually(
      async () => {
        const m = await agentUpdate();
        const ok = m?.policyRevision === revision && m.status === status;
        return ok && (running === undefined || m.observed?.running === running) ? m : null;
      },
      `agent-update revision ${revision} reported ${status}${running ? ` by the agent ${running}` : ''}`,
      120_000,
    );

  beforeAll(async () => {
    const out = tempDir('self-update-deb');
    for (const version of [VERSION_A, VERSION_B]) {
      const built = await buildAgentDeb({ outDir: out, version, compression: 'gzip' });
      buildSeconds.push(built.seconds);
      if (version === VERSION_A) debA = built.deb;
      else debB = built.deb;
    }
    console.info(`agent packages built in ${buildSeconds.map((s) => `${s.toFixed(1)} s`).join(' and ')} (gzip)`);
    chroot = createChroot();
    hub = await startHub();
    api = await adminClient(hub);
  }, 300_000);
  afterAll(async () => {
    await daemon?.stop();
    await hub?.stop();
    chroot?.remove();
  });

  it('runs version A from its package, enrolled', async () => {
    copyFileSync(debA, file('tmp/a.deb'));
    const installed = await inChroot(['dpkg', '-i', '/tmp/a.deb']);
    expect(installed.code, installed.stdout + installed.stderr).toBe(0);
    const t = await hub.createToken('Mise à jour');
    const r = await inChroot(['bascule-agent', 'enroll', '--hub', hub.url, '--token', t.token, '--ca-hash', t.caHash]);
    expect(r.code, r.stderr).toBe(0);
    deviceId = JSON.parse((await inChroot(['bascule-agent', 'status', '--json'])).stdout).deviceId;
    daemon = startSupervised();
    await onlineAs(VERSION_A);
  });

  it('reports a version the hub does not hold as invalid, naming it', async () => {
    const created = await api.post<{ id: string }>('/api/v1/policies', {
      name: 'Agent version',
      module: 'agent-update',
      document: { version: VERSION_B },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    policyId = created.body.id;
    const assigned = await api.request('PUT', `/api/v1/policies/${policyId}/assignments`, [
      { kind: 'device', target: deviceId },
    ]);
    expect(assigned.status).toBe(200);
    const m = await reported(1, 'invalid');
    expect(m.error).toContain(`the hub has no bascule-agent package of version ${VERSION_B}`);
    expect(m.error).toContain('bascule-hub agent-package add');
  });

  /** The .deb as the body of POST /api/v1/agent-packages, with the admin's session. */
  const upload = (deb: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const body = readFileSync(deb);
      const req = https.request(
        `${hub.url}/api/v1/agent-packages`,
        {
          method: 'POST',
          rejectUnauthorized: false,
          headers: {
            cookie: api.cookie,
            'content-type': 'application/vnd.debian.binary-package',
            'content-length': body.length,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (c: string) => {
            text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  it('moves the device to version B once the hub holds it: downloaded, checked, installed, restarted', async () => {
    // Uploaded through the API, which computes the configs again: the waiting policy gets the package.
    const started = Date.now();
    const uploaded = await upload(debB);
    expect(uploaded.status, uploaded.body).toBe(201);
    const pkg = JSON.parse(uploaded.body) as { fileName: string; version: string; added: boolean };
    expect(pkg).toMatchObject({ fileName: `bascule-agent_${VERSION_B}_amd64.deb`, version: VERSION_B, added: true });

    const m = await reported(1, 'applied', VERSION_B);
    expect(m.observed).toMatchObject({ running: VERSION_B, installed: VERSION_B });
    expect(m.observed).not.toHaveProperty('restartingTo');
    const device = await onlineAs(VERSION_B);
    console.info(
      `upload of ${VERSION_B} to the device online with it: ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(device.id).toBe(deviceId);
    expect(JSON.parse((await inChroot(['bascule-agent', 'status', '--json'])).stdout).deviceId).toBe(deviceId);
    // The old daemon replaced itself with exit 75, after its report of the installation.
    expect(daemon?.stderr.join('\n')).toContain('supervisor: exit 75, starting again');
    const restart = daemon?.logs().find((l) => l.msg === 'self-update: a new version is installed; restarting on it');
    expect(restart).toMatchObject({ from: VERSION_A, to: VERSION_B, exitCode: 75 });
    expect(existsSync(file('var/lib/bascule-agent/agent-update/restart.json'))).toBe(false);
  });

  it('serves the package content to enrolled devices only, and lists the versions for admins', async () => {
    const listed = await api.get<{ version: string }[]>('/api/v1/agent-packages');
    expect(listed.body.map((p) => p.version)).toEqual([VERSION_B]);
    const url = `${hub.url}/api/v1/agent-packages/bascule-agent_${VERSION_B}_amd64.deb/content`;
    expect((await getWith(url)).status).toBe(401);
    const identity = JSON.parse(readFileSync(file('var/lib/bascule-agent/identity.json'), 'utf8'));
    const basic = (secret: string) => `Basic ${Buffer.from(`${identity.deviceId}:${secret}`).toString('base64')}`;
    expect((await getWith(url, basic('not-the-secret'))).status).toBe(401);
    const ok = await getWith(url, basic(identity.secret));
    expect(ok.status).toBe(200);
    expect(ok.body.equals(readFileSync(debB))).toBe(true);
  });

  it('refuses to go back to A unless the policy allows a downgrade', async () => {
    // A added with the CLI this time; the policy's next revision brings it to the device.
    const added = await addToHub(debA);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ version: VERSION_A, added: true });
    expect(JSON.parse((await addToHub(debA)).stdout).added).toBe(false);

    const refused = await reported(await setPolicy({ version: VERSION_A }), 'failed');
    expect(refused.error).toMatch(
      new RegExp(`refusing to downgrade the agent from .*${VERSION_B.replace('+', '\\+')} to ${VERSION_A}`),
    );
    expect(refused.error).toContain('allowDowngrade');

    const back = await reported(await setPolicy({ version: VERSION_A, allowDowngrade: true }), 'applied', VERSION_A);
    expect(back.observed).toMatchObject({ running: VERSION_A, installed: VERSION_A });
    const device = await onlineAs(VERSION_A);
    expect(device.id).toBe(deviceId);
  });
});
