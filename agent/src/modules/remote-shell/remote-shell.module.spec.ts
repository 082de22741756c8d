import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMessage } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigEngine } from '../../config/config-engine.js';
import type { ConfigModule } from '../../config/config-module.js';
import { ConfigStore } from '../../config/config-store.js';
import { createMemoryLogger } from '../../logging/logger.js';
import { StateDirectory } from '../../system/state-directory.js';
import { StateDirectoryFile } from '../../system/state-file.js';
import { parseRemoteShellPolicy, REMOTE_SHELL_POLICY_FILE } from '../../terminal/remote-shell-policy.js';
import { RemoteShellModule } from './remote-shell.module.js';

const clock = { now: () => Date.parse('2026-11-25T10:00:00Z'), setTimeout: () => 0, clearTimeout: () => {} };
let n = 0;
const ids = () => `01JE${String(++n).padStart(22, '0')}`;

let root: string;
let state: StateDirectory;
let file: StateDirectoryFile;
let engine: ConfigEngine;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'remote-shell-'));
  state = new StateDirectory(join(root, 'state'));
  file = new StateDirectoryFile(state, REMOTE_SHELL_POLICY_FILE);
  engine = new ConfigEngine({
    modules: [new RemoteShellModule(file) as ConfigModule],
    applied: new ConfigStore(state),
    clock,
    ids,
    logger: createMemoryLogger(),
    agentVersion: '0.0.0-test',
  });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

let revision = 0;
function config(settings?: unknown, policyRevision = 1): ConfigMessage {
  return {
    v: 1,
    id: ids(),
    ts: '2026-11-25T10:00:00.000Z',
    revision: ++revision,
    modules: settings === undefined ? {} : { 'remote-shell': { policyId: 'pol-1', policyRevision, settings } },
    agent: {},
  };
}

describe('remote-shell module', () => {
  it('writes the settings with their defaults for the daemon (0600), and a second apply changes nothing', async () => {
    const first = await engine.apply(config({ consent: 'always' }));
    expect(first.modules['remote-shell']).toMatchObject({
      status: 'applied',
      steps: [
        {
          outcome: 'done',
          description: `allow the remote shell, consent always asked (refused after 30 s without an answer), from the next session (${file.path})`,
        },
      ],
      observed: { file: file.path, settings: { enabled: true, consent: 'always', consentTimeoutSeconds: 30 } },
    });
    // What the daemon reads, with its own zod-free check.
    expect(parseRemoteShellPolicy(file.read() ?? '')).toEqual({
      enabled: true,
      consent: 'always',
      consentTimeoutSeconds: 30,
    });
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect(statSync(join(state.root, 'config')).mode & 0o777).toBe(0o700);

    const second = await engine.apply(config({ consent: 'always' }));
    expect(second.modules['remote-shell']).toMatchObject({ status: 'applied', steps: [] });
    expect(await engine.plan(config({ consent: 'always' }))).toMatchObject([{ module: 'remote-shell', steps: [] }]);
  });

  it('rewrites the file for a new revision, and puts back one changed by hand (drift)', async () => {
    await engine.apply(config({ consent: 'always' }));
    const off = await engine.apply(config({ enabled: false }, 2));
    expect(off.modules['remote-shell']?.steps.map((s) => s.description)).toEqual([
      `switch the remote shell off, from the next session (${file.path})`,
    ]);
    expect(parseRemoteShellPolicy(file.read() ?? '')).toMatchObject({ enabled: false, consent: 'never' });

    file.write('{"enabled": true, "consent": "never"}\n');
    const back = await engine.apply(config({ enabled: false }, 2));
    expect(back.modules['remote-shell']?.status).toBe('drift');
    expect(parseRemoteShellPolicy(file.read() ?? '').enabled).toBe(false);
  });

  it('refuses settings outside the schema and leaves the file as it was', async () => {
    await engine.apply(config({ consent: 'when-signed-in', consentTimeoutSeconds: 60 }));
    const before = file.read();
    const bad = await engine.apply(config({ consent: 'sometimes', consentTimeoutSeconds: 5 }, 2));
    expect(bad.modules['remote-shell']?.status).toBe('invalid');
    expect(bad.modules['remote-shell']?.error).toMatch(/consent: .*consentTimeoutSeconds: /);
    expect(file.read()).toBe(before);
  });

  it('removes the file once the config no longer names the module', async () => {
    await engine.apply(config({ consent: 'always' }));
    const plans = await engine.plan(config());
    expect(plans).toMatchObject([
      {
        module: 'remote-shell',
        status: 'release',
        steps: [`remove ${file.path}: no remote-shell policy any more, the agent's own terminal settings apply again`],
      },
    ]);
    await engine.apply(config());
    expect(file.read()).toBeNull();
    // Released: nothing is left to undo.
    expect(await engine.plan(config())).toEqual([]);
  });
});
