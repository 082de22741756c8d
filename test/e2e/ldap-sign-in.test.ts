import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, tempDir } from './support/index.js';

/**
 * Sign-in with Active Directory credentials against a real Samba AD DC (../shared/test-rigs.md,
 * section 1; rig: support/ad-rig.sh): LDAPS with the DC's own CA, the search account finding users by
 * sAMAccountName, groups mapped to roles. The hub's AuthService runs in the rig's client namespaces
 * (support/ldap-sign-in.mjs), the only network that reaches the DC.
 */
const TOOLS = ['samba', 'samba-tool', 'nsenter', 'dig'];
const missing = TOOLS.filter(
  (t) => !['/usr/sbin', '/usr/bin', '/sbin', '/bin'].some((d) => fs.existsSync(`${d}/${t}`)),
);
const isRoot = process.getuid?.() === 0;
const canRun = missing.length === 0 && isRoot;
if (!canRun && process.env.CI === 'true') {
  throw new Error(`ldap e2e: needs root and ${missing.join(', ')} (see .ci/run)`);
}
if (!canRun) console.warn(`\n*** ldap e2e SKIPPED: needs root and ${missing.join(', ') || 'root'} ***\n`);

const RIG_SCRIPT = path.join(REPO, 'test/e2e/support/ad-rig.sh');
const SCRIPT = path.join(REPO, 'test/e2e/support/ldap-sign-in.mjs');
const NAME = `bl${process.pid % 100000}`;
const ADMIN = ['-H', 'ldap://127.0.0.1', '-U', 'Administrator', '--password=Passw0rd!2024'];
const BASE = 'DC=corp,DC=test';

interface Run {
  outcomes: { ok: boolean; kind?: string; role?: string; authSource?: string; status?: number; message?: string }[];
  users: { username: string; role: string; password_hash: string; auth_source: string }[];
  audit: { actor: string; action: string; target: string | null }[];
}

describe.skipIf(!canRun)('sign-in with Active Directory credentials (Samba AD DC, LDAPS)', () => {
  const rig = tempDir('ldap-rig');
  const hubData = tempDir('ldap-hub');
  let client = '';
  const dc = (args: string[]) =>
    execFileSync('ip', ['netns', 'exec', `${NAME}-dc`, 'samba-tool', ...args], { encoding: 'utf8', stdio: 'pipe' });

  const signIn = (attempts: { username: string; password: string; ip?: string }[]): Run => {
    const ldap = {
      url: 'ldaps://dc1.corp.test',
      baseDn: BASE,
      bindDn: `CN=bascule-search,CN=Users,${BASE}`,
      bindPassword: 'S3arch!Passw0rd',
      ca: fs.readFileSync(path.join(rig, 'ad/dc/private/tls/ca.pem'), 'utf8'),
      roleMap: [
        { groupDn: `CN=DSI,CN=Users,${BASE}`, role: 'admin' },
        { groupDn: `CN=Support,CN=Users,${BASE}`, role: 'helpdesk' },
      ],
    };
    const input = JSON.stringify({
      dataDir: hubData,
      ldap,
      attempts: attempts.map((a) => ({ ip: '10.231.0.20', ...a })),
    });
    const r = spawnSync('nsenter', ['-t', client, '-m', '-u', '-n', process.execPath, SCRIPT], {
      encoding: 'utf8',
      input,
      timeout: 120_000,
    });
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? 'null') as Run;
  };

  beforeAll(() => {
    client = execFileSync(RIG_SCRIPT, ['up', rig, NAME], { encoding: 'utf8' }).trim().split('\n').at(-1) ?? '';
    dc(['user', 'add', 'bascule-search', 'S3arch!Passw0rd', ...ADMIN]);
    dc(['group', 'add', 'DSI', ...ADMIN]);
    dc(['group', 'add', 'Support', ...ADMIN]);
    dc(['user', 'add', 'alice', 'Al1ce!Passw0rd', ...ADMIN]);
    dc(['user', 'add', 'carol', 'Car0l!Passw0rd', ...ADMIN]);
    dc(['user', 'add', 'bob', 'B0b!Passw0rd', ...ADMIN]);
    dc(['group', 'addmembers', 'DSI', 'alice', ...ADMIN]);
    dc(['group', 'addmembers', 'Support', 'carol', ...ADMIN]);
    // Samba writes its self-signed TLS certificate at the first LDAPS connection if it is not there yet.
    for (let i = 0; i < 50 && !fs.existsSync(path.join(rig, 'ad/dc/private/tls/ca.pem')); i++) {
      spawnSync('nsenter', ['-t', client, '-n', 'timeout', '2', 'bash', '-c', 'exec 3<>/dev/tcp/10.231.0.10/636']);
      execFileSync('sleep', ['0.2']);
    }
  }, 240_000);

  afterAll(() => {
    execFileSync(RIG_SCRIPT, ['down', rig, NAME], { stdio: 'inherit' });
    for (const d of [rig, hubData]) fs.rmSync(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('gives the role of the mapped group, refuses a user in no mapped group, keeps no password', () => {
    const run = signIn([
      { username: 'alice', password: 'Al1ce!Passw0rd' },
      { username: 'carol', password: 'Car0l!Passw0rd' },
      { username: 'bob', password: 'B0b!Passw0rd' },
      { username: '*', password: 'Al1ce!Passw0rd' },
    ]);
    expect(run.outcomes).toMatchObject([
      { ok: true, kind: 'signed-in', role: 'admin', authSource: 'ldap' },
      { ok: true, kind: 'signed-in', role: 'helpdesk', authSource: 'ldap' },
      { ok: false, status: 401 },
      { ok: false, status: 401 },
    ]);
    const alice = run.users.find((u) => u.username === 'alice');
    expect(alice).toMatchObject({ role: 'admin', auth_source: 'ldap', password_hash: '!ldap' });
    expect(run.users.map((u) => u.username)).not.toContain('bob');
    expect(run.audit).toContainEqual({ actor: 'bob', action: 'auth.ldap_no_role', target: null });
    expect(run.audit).toContainEqual({ actor: 'directory', action: 'user.created', target: 'carol' });
  });

  it('refuses a wrong password and throttles repeated failures', () => {
    const wrong = Array.from({ length: 7 }, () => ({ username: 'alice', password: 'not her password' }));
    const run = signIn([...wrong, { username: 'alice', password: 'Al1ce!Passw0rd' }]);
    const statuses = run.outcomes.map((o) => o.status);
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(statuses.slice(6)).toEqual([429, 429]);
  });
});
