import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMessage } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAntivirusPolicy } from '../../antivirus/antivirus-policy.js';
import { DEBIAN_CLAMAV_PATHS } from '../../antivirus/clamav-paths.js';
import { ConfigEngine } from '../../config/config-engine.js';
import type { ConfigModule } from '../../config/config-module.js';
import { ConfigStore } from '../../config/config-store.js';
import { createMemoryLogger } from '../../logging/logger.js';
import { FakeConfigFiles } from '../../system/config-files.js';
import { FakeCommandRunner } from '../../system/fake-command-runner.js';
import type { QuarantineRecord } from '../../system/quarantine-store.js';
import { StateDirectory } from '../../system/state-directory.js';
import { MemoryStateFile } from '../../system/state-file.js';
import { AntivirusModule } from './antivirus.module.js';
import { checksOf, privateMirrorOf, withSignatureSource } from './freshclam-conf.js';

const FRESHCLAM = `# Automatically created by the clamav-freshclam postinst
DatabaseOwner clamav
Checks 24
DatabaseMirror db.local.clamav.net
`;
const SCRIPT = `${DEBIAN_CLAMAV_PATHS.dispatcherDir}/90-bascule-antivirus-scan`;
const clock = { now: () => Date.parse('2026-12-03T10:00:00Z'), setTimeout: () => 0, clearTimeout: () => {} };
let n = 0;
const ids = () => `01JE${String(++n).padStart(22, '0')}`;

let root: string;
let files: FakeConfigFiles;
let policyFile: MemoryStateFile;
let active: Set<string>;
let quarantine: QuarantineRecord[];
let runner: FakeCommandRunner;
let engine: ConfigEngine;

function build(clamscan = true) {
  runner = new FakeCommandRunner(
    clamscan ? { clamscan: { stdout: 'ClamAV 1.4.6/27840/Wed Dec  2 09:31:07 2026\n', stderr: '', exitCode: 0 } } : {},
  );
  const module = new AntivirusModule({
    runner,
    files,
    services: {
      isActive: async (s) => active.has(s),
      enableNow: async (s) => void active.add(s),
      disableNow: async (s) => void active.delete(s),
      restart: async () => {},
    },
    policyFile,
    quarantine: { list: () => ({ records: quarantine, problems: [] }) },
    clamav: DEBIAN_CLAMAV_PATHS,
    clamdAnswers: async () => active.has('clamav-daemon'),
    databaseHeader: () => undefined,
    agentCommand: ['/usr/bin/node', '/usr/lib/bascule-agent/bin/bascule-agent.js'],
    agentArgs: ['--state', '/var/lib/bascule-agent'],
  });
  const state = new StateDirectory(join(root, 'state'));
  engine = new ConfigEngine({
    modules: [module as ConfigModule],
    applied: new ConfigStore(state),
    clock,
    ids,
    logger: createMemoryLogger(),
    agentVersion: '0.0.0-test',
  });
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'antivirus-module-'));
  files = new FakeConfigFiles({
    [DEBIAN_CLAMAV_PATHS.freshclamConf]: FRESHCLAM,
    [DEBIAN_CLAMAV_PATHS.dispatcherDir]: '',
  });
  policyFile = new MemoryStateFile(null, '/var/lib/bascule-agent/config/antivirus.json');
  active = new Set();
  quarantine = [];
  build();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

let revision = 0;
function config(settings?: unknown, policyRevision = 1): ConfigMessage {
  return {
    v: 1,
    id: ids(),
    ts: '2026-12-03T10:00:00.000Z',
    revision: ++revision,
    modules: settings === undefined ? {} : { antivirus: { policyId: 'pol-av', policyRevision, settings } },
    agent: {},
  };
}

const policy = {
  signatures: { mirrorUrl: 'http://clamav.ville.fr', checksPerDay: 6 },
  daemon: true,
  schedules: [{ paths: ['/home'], days: ['mon', 'wed'], windowStart: '12:00', windowEnd: '14:00' }],
  scanBeforeVpn: true,
};

describe('antivirus module', () => {
  it('sets the mirror, starts freshclam and clamd, installs the VPN script and leaves the schedule; then changes nothing', async () => {
    const first = await engine.apply(config(policy));
    const m = first.modules.antivirus;
    expect(m?.status).toBe('applied');
    expect(m?.steps.map((s) => s.description)).toEqual([
      `set freshclam's signature source in /etc/clamav/freshclam.conf: private mirror http://clamav.ville.fr, 6 checks a day`,
      'enable and start clamav-freshclam (signature updates)',
      'enable and start clamav-daemon (clamd, for fast repeated scans)',
      `install the scan-before-VPN script ${SCRIPT} (NetworkManager runs it before a VPN comes up: a scan of /home)`,
      `1 scheduled scan (mon,wed 12:00–14:00: /home), infected files moved to the quarantine, for the agent's scans (${policyFile.path})`,
    ]);
    const conf = files.read(DEBIAN_CLAMAV_PATHS.freshclamConf) ?? '';
    expect(conf).toContain('DatabaseMirror db.local.clamav.net\n');
    expect([privateMirrorOf(conf), checksOf(conf)]).toEqual(['http://clamav.ville.fr', 6]);
    expect(files.files.get(SCRIPT)?.mode).toBe(0o755);
    expect(files.read(SCRIPT)).toContain(
      "exec '/usr/bin/node' '/usr/lib/bascule-agent/bin/bascule-agent.js' 'antivirus' 'scan' '--trigger' 'before-vpn' '--state' '/var/lib/bascule-agent' '/home'",
    );
    expect(files.read(SCRIPT)).toContain('[ "$2" = "vpn-pre-up" ] || exit 0');
    expect(parseAntivirusPolicy(policyFile.read() ?? '')).toMatchObject({
      schedules: [{ paths: ['/home'], days: ['mon', 'wed'] }],
      action: 'quarantine',
      onlyOnMainsPower: true,
    });
    expect(m?.observed).toMatchObject({
      installed: true,
      engineVersion: '1.4.6',
      signatureVersion: '27840',
      daemonRunning: true,
      mirrorUrl: 'http://clamav.ville.fr',
      quarantine: [],
    });

    const second = await engine.apply(config(policy));
    expect(second.modules.antivirus).toMatchObject({ status: 'applied', steps: [] });
  });

  it('stops clamd when the policy no longer wants it, and removes the mirror', async () => {
    await engine.apply(config(policy));
    const next = await engine.apply(config({ ...policy, daemon: false, signatures: {} }, 2));
    expect(next.modules.antivirus?.steps.map((s) => s.description)).toEqual([
      `set freshclam's signature source in /etc/clamav/freshclam.conf: no private mirror (ClamAV’s public mirrors), 12 checks a day, then restart clamav-freshclam`,
      'stop and disable clamav-daemon (the policy does not use clamd; scans use clamscan)',
    ]);
    expect(privateMirrorOf(files.read(DEBIAN_CLAMAV_PATHS.freshclamConf) ?? '')).toBeUndefined();
    expect(active.has('clamav-daemon')).toBe(false);
  });

  it('ClamAV missing: failed, naming the package, and nothing changed', async () => {
    build(false);
    const r = await engine.apply(config(policy));
    expect(r.modules.antivirus).toMatchObject({
      status: 'failed',
      error: expect.stringContaining(
        'clamscan is not installed: install the Debian package clamav (Bascule installs nothing by itself)',
      ),
    });
    expect(files.read(DEBIAN_CLAMAV_PATHS.freshclamConf)).toBe(FRESHCLAM);
    expect(policyFile.read()).toBeNull();
  });

  it('invalid settings: invalid, nothing touched', async () => {
    const r = await engine.apply(config({ schedules: [{ paths: ['home'], windowStart: '25:00' }], action: 'delete' }));
    expect(r.modules.antivirus?.status).toBe('invalid');
    expect(r.modules.antivirus?.error).toMatch(/schedules\.0\.paths\.0: .*windowStart: .*action: /s);
    expect(files.read(DEBIAN_CLAMAV_PATHS.freshclamConf)).toBe(FRESHCLAM);
  });

  it('release removes the script and the schedule, keeps the quarantine and the services', async () => {
    await engine.apply(config(policy));
    quarantine.push({
      id: 'q1',
      path: '/home/a/x.com',
      mode: 0o644,
      uid: 1000,
      gid: 1000,
      signature: 'Sig',
      quarantinedAt: '2026-12-03T10:00:00.000Z',
      sizeBytes: 68,
    });
    const plans = await engine.plan(config());
    expect(plans).toMatchObject([
      {
        module: 'antivirus',
        status: 'release',
        steps: [
          `remove the scan-before-VPN script ${SCRIPT}`,
          `remove ${policyFile.path}: no antivirus policy any more, no scheduled scan (the quarantine stays)`,
        ],
      },
    ]);
    await engine.apply(config());
    expect(files.read(SCRIPT)).toBeNull();
    expect(policyFile.read()).toBeNull();
    expect(active.has('clamav-daemon')).toBe(true);
  });
});

describe('withSignatureSource', () => {
  it('keeps every other line, and sets Checks once', () => {
    const text = 'Foo bar\nChecks 1\n# Checks 3\nChecks 2\nPrivateMirror http://old\n';
    expect(withSignatureSource(text, 'http://new', 4)).toBe(
      'Foo bar\nChecks 4\n# Checks 3\nPrivateMirror http://new\n',
    );
    expect(withSignatureSource('Foo bar', undefined, 12)).toBe('Foo bar\nChecks 12\n');
  });
});
