import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ConfigMessage } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigEngine } from '../../config/config-engine.js';
import type { ConfigModule } from '../../config/config-module.js';
import { ConfigStore } from '../../config/config-store.js';
import { createMemoryLogger } from '../../logging/logger.js';
import { FakeCommandRunner } from '../../system/fake-command-runner.js';
import type { HubDownload } from '../../system/hub-download.js';
import { DpkgAgentInstaller } from '../../system/package-installer.js';
import { StateDirectory } from '../../system/state-directory.js';
import { MemoryStateFile } from '../../system/state-file.js';
import { AgentUpdateModule } from './agent-update.module.js';
import { readRestartRequest, restartDue } from './restart-request.js';

const clock = { now: () => Date.parse('2026-12-03T10:00:00Z'), setTimeout: () => 0, clearTimeout: () => {} };
let n = 0;
const ids = () => `01JE${String(++n).padStart(22, '0')}`;

const CONTENT = Buffer.from('a .deb, as far as this spec goes');
const SHA = createHash('sha256').update(CONTENT).digest('hex');
const pkg = (version: string, sha256 = SHA) => ({
  fileName: `bascule-agent_${version}_amd64.deb`,
  bytes: CONTENT.length,
  sha256,
  path: `/api/v1/agent-packages/bascule-agent_${version}_amd64.deb/content`,
});

/** A dpkg that knows one installed version and moves to what `dpkg -i` gets, reading the file name. */
function fakeDpkg(initial: string | null, opts: { installFails?: string } = {}) {
  let installed = initial;
  const installs: string[] = [];
  const answer = (args: readonly string[]) => {
    if (opts.installFails) return { stdout: '', stderr: opts.installFails, exitCode: 1 };
    const file = args.at(-1) as string;
    if (!existsSync(file)) return { stdout: '', stderr: `dpkg: error: cannot access archive '${file}'`, exitCode: 2 };
    installs.push(file);
    installed = /bascule-agent_(.+)_amd64\.deb$/.exec(file)?.[1] ?? null;
    return { stdout: `Unpacking bascule-agent (${installed})`, stderr: '', exitCode: 0 };
  };
  const runner = new FakeCommandRunner({
    'dpkg-query': () =>
      installed === null
        ? { stdout: '', stderr: 'dpkg-query: no packages found matching bascule-agent', exitCode: 1 }
        : { stdout: `installed ${installed}`, stderr: '', exitCode: 0 },
    setsid: answer,
    'systemd-run': answer,
  });
  return { runner, installs, installed: () => installed };
}

/** Serves CONTENT (or what it is told) for any path. */
class FakeDownload implements HubDownload {
  readonly fetched: string[] = [];
  constructor(private readonly content: Buffer = CONTENT) {}
  async download(path: string, dest: string) {
    this.fetched.push(path);
    writeFileSync(dest, this.content);
    return { bytes: this.content.length, sha256: createHash('sha256').update(this.content).digest('hex') };
  }
  remove(dest: string) {
    rmSync(dest, { force: true });
  }
}

let root: string;
let state: StateDirectory;
let restart: MemoryStateFile;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'agent-update-'));
  state = new StateDirectory(join(root, 'state'));
  restart = new MemoryStateFile(null, '/var/lib/bascule-agent/agent-update/restart.json');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function setup(opts: {
  installed: string | null;
  running?: string;
  systemd?: boolean;
  download?: FakeDownload;
  installFails?: string;
}) {
  const dpkg = fakeDpkg(opts.installed, opts.installFails ? { installFails: opts.installFails } : {});
  const download = opts.download ?? new FakeDownload();
  const downloadDir = join(root, 'state/agent-update/downloads');
  const mod = new AgentUpdateModule({
    installer: new DpkgAgentInstaller(dpkg.runner, opts.systemd ?? false),
    download: {
      download: (p, dest, max) => {
        const dir = dirname(dest);
        if (!existsSync(dir)) state.ensure('agent-update/downloads');
        return download.download(p, dest, max);
      },
      remove: (dest) => download.remove(dest),
    },
    restart,
    downloadDir,
    runningVersion: opts.running ?? opts.installed ?? '0.1.0',
    now: () => new Date(clock.now()),
  });
  const engine = new ConfigEngine({
    modules: [mod as ConfigModule],
    applied: new ConfigStore(state),
    clock,
    ids,
    logger: createMemoryLogger(),
    agentVersion: '0.0.0-test',
  });
  return { dpkg, download, engine, downloadDir };
}

let revision = 0;
function config(settings: unknown, policyRevision = 1): ConfigMessage {
  return {
    v: 1,
    id: ids(),
    ts: '2026-12-03T10:00:00Z',
    revision: ++revision,
    modules: { 'agent-update': { policyId: 'p1', policyRevision, settings } },
    agent: {},
  };
}

describe('agent-update module', () => {
  it('downloads, checks, installs in a session of its own and asks the daemon to restart', async () => {
    const { engine, dpkg, download, downloadDir } = setup({ installed: '0.1.0' });
    const report = await engine.apply(config({ version: '0.2.0', package: pkg('0.2.0') }));
    const m = report.modules['agent-update'];
    expect(m?.status, m?.error).toBe('applied');
    expect(m?.steps.map((s) => [s.outcome, s.description])).toEqual([
      ['done', `download bascule-agent_0.2.0_amd64.deb (0.0 MiB) from the hub`],
      ['done', `check its sha256 against the hub's (${SHA.slice(0, 16)}…)`],
      ['done', 'upgrade bascule-agent from 0.1.0 to 0.2.0 (dpkg -i, in a session of its own)'],
      ['done', 'restart the agent on 0.2.0'],
    ]);
    expect(download.fetched).toEqual(['/api/v1/agent-packages/bascule-agent_0.2.0_amd64.deb/content']);
    const setsid = dpkg.runner.calls.find((c) => c.bin === 'setsid');
    expect(setsid?.args).toEqual([
      '--wait',
      'env',
      'DEBIAN_FRONTEND=noninteractive',
      'dpkg',
      '--force-confdef',
      '--force-confold',
      '-i',
      join(downloadDir, 'bascule-agent_0.2.0_amd64.deb'),
    ]);
    // The download is removed once installed; the daemon of 0.1.0 is asked to restart.
    expect(existsSync(join(downloadDir, 'bascule-agent_0.2.0_amd64.deb'))).toBe(false);
    expect(readRestartRequest(restart)).toEqual({ from: '0.1.0', to: '0.2.0', at: '2026-12-03T10:00:00.000Z' });
    expect(m?.observed).toEqual({ running: '0.1.0', installed: '0.2.0', restartingTo: '0.2.0' });
  });

  it('runs dpkg in a transient systemd unit when systemd runs, so the postinst restart does not kill it', async () => {
    const { engine, dpkg } = setup({ installed: '0.1.0', systemd: true });
    const report = await engine.apply(config({ version: '0.2.0', package: pkg('0.2.0') }));
    expect(report.modules['agent-update']?.steps[2]?.description).toMatch(/in its own systemd unit/);
    const call = dpkg.runner.calls.find((c) => c.bin === 'systemd-run');
    expect(call?.args.slice(0, 7)).toEqual([
      '--unit',
      'bascule-agent-update',
      '--description',
      'Bascule agent self-update',
      '--collect',
      '--wait',
      '--quiet',
    ]);
    expect(dpkg.runner.calls.some((c) => c.bin === 'setsid')).toBe(false);
  });

  it('after the restart, the new daemon reports the new version as applied, with nothing to do', async () => {
    restart.write('{"from":"0.1.0","to":"0.2.0","at":"2026-12-03T09:59:00.000Z"}');
    const { engine, dpkg } = setup({ installed: '0.2.0', running: '0.2.0' });
    const m = (await engine.apply(config({ version: '0.2.0', package: pkg('0.2.0') }))).modules['agent-update'];
    expect(m?.status).toBe('applied');
    expect(m?.steps).toEqual([]);
    expect(m?.observed).toEqual({ running: '0.2.0', installed: '0.2.0' });
    expect(dpkg.installs).toEqual([]);
    // The daemon of 0.2.0 does not restart on the request of 0.1.0, and removes it.
    expect(restartDue(restart, '0.2.0', new Date('2026-12-03T09:58:00Z'))).toBeNull();
    expect(restart.text).toBeNull();
  });

  it('the daemon restarts only on a request made for its own version after it started', () => {
    const started = new Date('2026-12-03T09:00:00Z');
    restart.write('{"from":"0.1.0","to":"0.2.0","at":"2026-12-03T09:30:00.000Z"}');
    expect(restartDue(restart, '0.1.0', started)?.to).toBe('0.2.0');
    // A daemon started after the request (the restart happened, and the package lies about its version).
    expect(restartDue(restart, '0.1.0', new Date('2026-12-03T09:31:00Z'))).toBeNull();
    expect(restart.text).toBeNull();
    restart.write('not json');
    expect(restartDue(restart, '0.1.0', started)).toBeNull();
    expect(restart.text).toBeNull();
  });

  it('a bad checksum fails the module and installs nothing', async () => {
    const { engine, dpkg, downloadDir } = setup({
      installed: '0.1.0',
      download: new FakeDownload(Buffer.from('something else')),
    });
    const m = (await engine.apply(config({ version: '0.2.0', package: pkg('0.2.0') }))).modules['agent-update'];
    expect(m?.status).toBe('failed');
    expect(m?.error).toMatch(new RegExp(`not the ${SHA} the hub announced: removed, nothing installed`));
    expect(m?.steps.map((s) => s.outcome)).toEqual(['done', 'failed', 'skipped', 'skipped']);
    expect(dpkg.installs).toEqual([]);
    expect(dpkg.installed()).toBe('0.1.0');
    expect(existsSync(join(downloadDir, 'bascule-agent_0.2.0_amd64.deb'))).toBe(false);
    expect(restart.text).toBeNull();
  });

  it('says what dpkg said when the installation fails, and leaves no restart request', async () => {
    const { engine } = setup({
      installed: '0.1.0',
      installFails: 'dpkg: error: dpkg frontend lock was locked by another process',
    });
    const m = (await engine.apply(config({ version: '0.2.0', package: pkg('0.2.0') }))).modules['agent-update'];
    expect(m?.status).toBe('failed');
    expect(m?.error).toMatch(/dpkg -i .* failed \(exit 1\): dpkg: error: dpkg frontend lock was locked/);
    expect(m?.steps.map((s) => s.outcome)).toEqual(['done', 'done', 'failed', 'skipped']);
    expect(restart.text).toBeNull();
  });

  it('refuses a downgrade unless the policy allows it', async () => {
    const { engine, dpkg } = setup({ installed: '0.2.0' });
    const refused = (await engine.apply(config({ version: '0.1.0', package: pkg('0.1.0') }))).modules['agent-update'];
    expect(refused?.status).toBe('failed');
    expect(refused?.error).toBe(
      'refusing to downgrade the agent from 0.2.0 to 0.1.0: set allowDowngrade in the policy to go back to an older version',
    );
    expect(dpkg.installs).toEqual([]);

    const allowed = (await engine.apply(config({ version: '0.1.0', allowDowngrade: true, package: pkg('0.1.0') }, 2)))
      .modules['agent-update'];
    expect(allowed?.status, allowed?.error).toBe('applied');
    expect(allowed?.steps[2]?.description).toMatch(/^downgrade bascule-agent from 0\.2\.0 to 0\.1\.0/);
    expect(dpkg.installed()).toBe('0.1.0');
  });

  it('a version the hub does not hold is invalid, with what to do', async () => {
    const { engine, dpkg } = setup({ installed: '0.1.0' });
    const m = (await engine.apply(config({ version: '0.3.0' }))).modules['agent-update'];
    expect(m?.status).toBe('invalid');
    expect(m?.error).toBe(
      'version: the hub has no bascule-agent package of version 0.3.0 (add it with bascule-hub agent-package add FILE)',
    );
    expect(dpkg.runner.calls).toEqual([]);
  });

  it('cannot update an agent that was not installed from its package', async () => {
    const { engine } = setup({ installed: null, running: '0.1.0' });
    const m = (await engine.apply(config({ version: '0.2.0', package: pkg('0.2.0') }))).modules['agent-update'];
    expect(m?.status).toBe('failed');
    expect(m?.error).toMatch(/not installed from the bascule-agent package/);
  });

  it('is idempotent: a second apply at the same version changes nothing', async () => {
    const { engine, dpkg } = setup({ installed: '0.2.0', running: '0.2.0' });
    const settings = { version: '0.2.0', package: pkg('0.2.0') };
    expect((await engine.apply(config(settings))).modules['agent-update']?.status).toBe('applied');
    expect((await engine.apply(config(settings))).modules['agent-update']?.steps).toEqual([]);
    expect(dpkg.installs).toEqual([]);
  });

  it('names the restart still to do when the package is new but the daemon is not', async () => {
    const { engine } = setup({ installed: '0.2.0', running: '0.1.0' });
    const m = (await engine.apply(config({ version: '0.2.0', package: pkg('0.2.0') }))).modules['agent-update'];
    expect(m?.status).toBe('failed');
    expect(m?.error).toBe(
      'bascule-agent 0.2.0 is installed but the agent still runs 0.1.0: restart it (systemctl restart bascule-agent)',
    );
  });
});
