import { lstatSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Plain ESM helpers shared with `npm run package` and the package benchmarks.
import { buildAgentDeb } from '../../packaging/build-agent-deb.mjs';
import { createChroot, missingTools, runInChroot } from '../../packaging/scripts/debian-chroot.mjs';
import {
  type ApiClient,
  adminClient,
  type HubProcess,
  startHub,
  TcpForwarder,
  type TokenInfo,
  tempDir,
} from './support/index.js';

/*
 * `curl … | sudo sh` for real: a hub on loopback serves the install script and the agent package
 * built from the tree; the install command that `token create --json` prints runs in a debootstrap'd
 * Debian 12 chroot (minbase + curl + sudo, sharing the host's network), installs the package with dpkg
 * and enrols; the device then shows in the API. Between the chroot and the hub sits a TCP relay that the
 * test can hand over to a second hub (another CA, a certificate valid for the same address): a man in
 * the middle, which the install command and the script must both refuse.
 */

const missing = [...missingTools(), ...(process.getuid?.() === 0 ? [] : ['root (chroot, unshare -m)'])];
if (missing.length > 0) {
  const message = `install script test needs: ${missing.join(', ')} (apt-get install ${missing.join(' ')})`;
  if (process.env.CI) throw new Error(message);
  console.warn(`\n*** SKIPPED: ${message} ***\n`);
}

interface Device {
  id: string;
  department: string;
  hostname: string;
}

/** GET over TLS verified by `ca` (the test's own view of the hub). */
function fetchText(
  url: string,
  ca: string,
): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
      })
      .on('error', reject);
  });
}

describe.skipIf(missing.length > 0)('install script: curl | sudo sh from the hub', () => {
  let hub: HubProcess;
  let other: HubProcess;
  let relay: TcpForwarder;
  let api: ApiClient;
  let chroot: ReturnType<typeof createChroot>;
  let caPem = '';
  const viaRelay = () => `https://127.0.0.1:${relay.port}`;
  const inChroot = (argv: string[]) => runInChroot(chroot.root, argv, { timeoutMs: 180_000 });
  const exists = (path: string) => lstatSync(join(chroot.root, path), { throwIfNoEntry: false }) !== undefined;
  const token = (department: string, uses = 1): Promise<TokenInfo> =>
    hub.createToken(department, { uses, hubUrl: viaRelay() });

  beforeAll(async () => {
    // BASCULE_TEST_AGENT_DEB: a package built beforehand (saves the build, about 20 s).
    const deb =
      process.env.BASCULE_TEST_AGENT_DEB ??
      (await buildAgentDeb({ outDir: tempDir('install-deb'), version: '0.1.0', compression: 'gzip' })).deb;
    // The hub serves this package (the variable the hub reads; see hub/src/install).
    process.env.BASCULE_AGENT_PACKAGE = deb;
    chroot = createChroot(undefined, { include: ['curl', 'sudo'] });
    hub = await startHub();
    other = await startHub();
    relay = await new TcpForwarder(hub.httpPort).start();
    api = await adminClient(hub);
    caPem = readFileSync(join(hub.dataDir, 'tls/ca.pem'), 'utf8');
    expect((await fetchText(`${hub.url}/install/ca.pem`, caPem)).text).toBe(caPem);
  }, 300_000);
  afterAll(async () => {
    delete process.env.BASCULE_AGENT_PACKAGE;
    await relay?.stop();
    await hub?.stop();
    await other?.stop();
    chroot?.remove();
  });

  it('serves a script that explains an unknown token and exits 1, as a 200 so that `sh` sees it', async () => {
    const r = await fetchText(`${hub.url}/install/bt_${'x'.repeat(32)}`, caPem);
    expect(r.status).toBe(200);
    expect(r.headers['x-bascule-install']).toBe('refused');
    writeFileSync(join(chroot.root, 'tmp/refused.sh'), r.text);
    const run = await inChroot(['sh', '/tmp/refused.sh']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot install: the enrolment token is not recognised/);
  });

  it('installs and enrols with the command token create prints; fetching the script spends no use', async () => {
    relay.switchTo(hub.httpPort);
    const t = await token('Installation');
    expect(t.installCommand).toMatch(/^d=\$\(mktemp -d\) && curl -fsSk/);
    // Fetched twice before the install: a one-use token still works afterwards.
    for (let i = 0; i < 2; i++) {
      expect((await fetchText(`${hub.url}/install/${t.token}`, caPem)).headers['x-bascule-install']).toBe('ok');
    }
    const started = Date.now();
    const r = await inChroot(['sh', '-c', t.installCommand as string]);
    const seconds = (Date.now() - started) / 1000;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const deviceId = /^enrolled (\S+)$/m.exec(r.stdout)?.[1];
    expect(deviceId, r.stdout + r.stderr).toBeTruthy();
    expect(r.stderr).toMatch(/checking the hub https:\/\/127\.0\.0\.1:\d+ against its CA sha256:/);
    expect(r.stderr).not.toContain(t.token);
    console.log(`install command to enrolled: ${seconds.toFixed(1)} s`);

    const device = (await api.get<Device>(`/api/v1/devices/${deviceId}`)).body;
    expect(device.department).toBe('Installation');
    expect(exists('etc/bascule/enroll.token')).toBe(false);
    expect((await inChroot(['dpkg-query', '-W', '-f', '$' + '{Status}', 'bascule-agent'])).stdout).toBe(
      'install ok installed',
    );

    // The token is now used up: its script says so.
    const used = await fetchText(`${hub.url}/install/${t.token}`, caPem);
    expect(used.text).toMatch(/already used 1 time/);
    // Running the same command again on an enrolled machine changes nothing.
    const again = await inChroot(['sh', '-c', (await token('Installation')).installCommand as string]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(new RegExp(`already enrolled as device ${deviceId}`));
  });

  it('the install command refuses a hub whose CA is not the one in the command', async () => {
    expect((await inChroot(['dpkg', '--purge', 'bascule-agent'])).code).toBe(0);
    const t = await token('Intercepté');
    relay.switchTo(other.httpPort);
    const r = await inChroot(['sh', '-c', t.installCommand as string]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/does not hold the CA sha256:[0-9a-f]{64}: refusing/);
    expect(exists('usr/bin/bascule-agent')).toBe(false);
  });

  it('the script refuses a hub whose certificate does not match its CA hash, before writing anything', async () => {
    relay.switchTo(hub.httpPort);
    const t = await token('Intercepté');
    const script = await fetchText(`${viaRelay()}/install/${t.token}`, caPem);
    expect(script.headers['x-bascule-install']).toBe('ok');
    writeFileSync(join(chroot.root, 'tmp/install.sh'), script.text);
    // From now on the desktop's traffic goes to another server with a valid-looking certificate.
    relay.switchTo(other.httpPort);
    const r = await inChroot(['sh', '/tmp/install.sh']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /ERROR: the server at https:\/\/127\.0\.0\.1:\d+ does not prove it is the hub with CA sha256:[0-9a-f]{64} \(curl 60/,
    );
    expect(r.stderr).toMatch(/Refusing to go on/);
    expect(exists('etc/bascule/enroll.token')).toBe(false);
    expect(exists('usr/bin/bascule-agent')).toBe(false);

    // Back on the real hub, the same script installs: the token was not spent by the refused attempt.
    relay.switchTo(hub.httpPort);
    const ok = await inChroot(['sh', '/tmp/install.sh']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^enrolled \S+$/m);
  });
});
