import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMessage } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigEngine } from '../../config/config-engine.js';
import type { ConfigModule } from '../../config/config-module.js';
import { ConfigStore } from '../../config/config-store.js';
import { createMemoryLogger } from '../../logging/logger.js';
import { StateDirectory } from '../../system/state-directory.js';
import type { UserAccount } from '../../system/user-accounts.js';
import { FakeUserFiles } from '../../system/user-files.js';
import { RemoteAppsModule } from './remote-apps.module.js';

const clock = { now: () => Date.parse('2026-11-25T10:00:00Z'), setTimeout: () => 0, clearTimeout: () => {} };
let n = 0;
const ids = () => `01JE${String(++n).padStart(22, '0')}`;

const ACCOUNTS: Record<string, UserAccount> = {
  jdupont: { name: 'jdupont', uid: 1001, gid: 1001, home: '/home/jdupont', shell: '/bin/bash' },
  mmartin: { name: 'mmartin', uid: 1002, gid: 1002, home: '/home/mmartin', shell: '/bin/bash' },
  // A domain user who never signed in here: no home yet.
  pnouveau: { name: 'pnouveau', uid: 70001, gid: 70000, home: '/home/pnouveau', shell: '/bin/bash' },
};
const lookup = async (name: string) => {
  const a = ACCOUNTS[name];
  if (!a) throw new Error(`user ${name} not found (getent passwd)`);
  return a;
};

const ciril = {
  id: 'ciril-finances',
  name: 'Ciril Finances (Windows)',
  server: 'rds.mairie.local',
  program: 'C:\\Program Files\\Ciril\\finances.exe',
  domain: 'MAIRIE',
  gateway: { server: 'passerelle.mairie.fr' },
};

let root: string;
let files: FakeUserFiles;
let engine: ConfigEngine;
let revision = 0;

function config(settings?: unknown): ConfigMessage {
  return {
    v: 1,
    id: ids(),
    ts: '2026-11-25T10:00:00.000Z',
    revision: ++revision,
    modules: settings === undefined ? {} : { 'remote-apps': { policyId: 'pol-1', policyRevision: revision, settings } },
    agent: {},
  };
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'remote-apps-'));
  const state = new StateDirectory(join(root, 'state'));
  files = new FakeUserFiles();
  files.dirs.add('/home/jdupont');
  files.dirs.add('/home/mmartin');
  engine = new ConfigEngine({
    modules: [new RemoteAppsModule(lookup, files, new ConfigStore(state)) as ConfigModule],
    applied: new ConfigStore(state),
    clock,
    ids,
    logger: createMemoryLogger(),
    agentVersion: '0.0.0-test',
  });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('remote-apps module', () => {
  it('writes a profile without password and a French launcher per user, owned by the user; a second apply changes nothing', async () => {
    const r = await engine.apply(config({ users: ['jdupont', 'mmartin', 'pnouveau'], apps: [ciril] }));
    expect(r.modules['remote-apps']).toMatchObject({ status: 'applied' });
    expect(r.modules['remote-apps']?.steps).toHaveLength(4);
    const profile = files.files.get('/home/jdupont/.local/share/remmina/bascule-ciril-finances.remmina');
    expect(profile).toMatchObject({ mode: 0o600, owner: { uid: 1001, gid: 1001 } });
    expect(profile?.content).toContain('[remmina]\nname=Ciril Finances (Windows)\ngroup=Bascule\nprotocol=RDP\n');
    expect(profile?.content).toContain('server=rds.mairie.local\ndomain=MAIRIE\nusername=jdupont\n');
    expect(profile?.content).toContain('exec=C:\\\\Program Files\\\\Ciril\\\\finances.exe\n');
    expect(profile?.content).toContain('disablepasswordstoring=1\n');
    expect(profile?.content).toContain(
      'gateway_usage=1\ngateway_server=passerelle.mairie.fr\ngateway_domain=\ngateway_username=jdupont\n',
    );
    expect(profile?.content).not.toMatch(/^password=/m);
    const launcher = files.files.get(
      '/home/mmartin/.local/share/applications/bascule-remote-app-ciril-finances.desktop',
    );
    expect(launcher).toMatchObject({ mode: 0o644, owner: { uid: 1002, gid: 1002 } });
    expect(launcher?.content).toContain('Name=Ciril Finances (Windows)\n');
    expect(launcher?.content).toContain('Comment=Application Windows sur rds.mairie.local');
    expect(launcher?.content).toContain(
      'Exec=remmina -c /home/mmartin/.local/share/remmina/bascule-ciril-finances.remmina\n',
    );
    expect(r.modules['remote-apps']?.observed).toMatchObject({
      files: 4,
      accounts: [
        { user: 'jdupont', state: 'ready' },
        { user: 'mmartin', state: 'ready' },
        { user: 'pnouveau', state: 'no-home-yet' },
      ],
    });
    const again = await engine.apply(config({ users: ['jdupont', 'mmartin', 'pnouveau'], apps: [ciril] }));
    expect(again.modules['remote-apps']).toMatchObject({ status: 'applied', steps: [] });
  });

  it('gives an account its files once it has a home, and removes what a dropped user or app had', async () => {
    const other = { id: 'astre-rh', name: 'Astre RH', server: 'rds2.mairie.local:3390' };
    await engine.apply(config({ users: ['jdupont', 'pnouveau'], apps: [ciril, other] }));
    expect(files.files.size).toBe(4);
    files.dirs.add('/home/pnouveau');
    const later = await engine.apply(config({ users: ['pnouveau'], apps: [other] }));
    expect(later.modules['remote-apps']).toMatchObject({ status: 'applied' });
    expect([...files.files.keys()].sort()).toEqual([
      '/home/pnouveau/.local/share/applications/bascule-remote-app-astre-rh.desktop',
      '/home/pnouveau/.local/share/remmina/bascule-astre-rh.remmina',
    ]);
  });

  it('leaves other files alone on release and removes only its own', async () => {
    files.files.set('/home/jdupont/.local/share/remmina/perso.remmina', {
      content: '[remmina]\n',
      mode: 0o600,
      owner: { uid: 1001, gid: 1001 },
    });
    await engine.apply(config({ users: ['jdupont'], apps: [ciril] }));
    const released = await engine.apply(config());
    expect(released.modules['remote-apps']).toBeUndefined();
    expect([...files.files.keys()]).toEqual(['/home/jdupont/.local/share/remmina/perso.remmina']);
  });

  it('refuses a password, unknown keys, a line break in a value, and duplicate ids', async () => {
    for (const settings of [
      { users: ['jdupont'], apps: [{ ...ciril, password: 'secret' }] },
      { users: ['jdupont'], apps: [{ ...ciril, gateway: { server: 'gw', password: 'x' } }] },
      { users: ['jdupont'], apps: [{ ...ciril, name: 'Ciril\nexec=evil' }] },
      { users: ['jdupont'], apps: [ciril, ciril] },
      { users: [], apps: [ciril] },
      { users: ['jdupont'], apps: [{ ...ciril, id: '../x' }] },
    ]) {
      const r = await engine.apply(config(settings));
      expect(r.modules['remote-apps']?.status).toBe('invalid');
    }
    expect(files.files.size).toBe(0);
  });

  it('fails with the account named when it does not exist, and still serves the others', async () => {
    const r = await engine.apply(config({ users: ['jdupont', 'inconnu'], apps: [ciril] }));
    expect(r.modules['remote-apps']?.status).toBe('failed');
    expect(r.modules['remote-apps']?.error).toContain('inconnu: user inconnu not found');
    expect(files.files.has('/home/jdupont/.local/share/remmina/bascule-ciril-finances.remmina')).toBe(true);
  });
});
