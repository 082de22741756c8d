import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubComputerAccounts } from '../../hub/src/ad-join/computer-accounts.js';
import { JoinAccountStore, joinAccountsFile } from '../../hub/src/ad-join/join-account.store.js';
import { AGENT_BIN, REPO, tempDir } from './support/index.js';

/**
 * The agent's `ad-join` module against a real Samba AD DC (../shared/test-rigs.md, section 1; rig:
 * support/ad-rig.sh). The hub's own code (AdcliComputerAccounts, with a delegated join account that
 * may only create computers in OU=Postes) pre-creates the computer account with a one-time password;
 * `bascule-agent apply` runs inside the client's namespaces (network, mounts with a private /etc, UTS)
 * exactly as the daemon's child process would run on a desktop, and joins with that password.
 * There is no systemd here: RIG/bin/systemctl starts and restarts the hand-run sssd.
 */
const TOOLS = ['samba', 'samba-tool', 'realm', 'adcli', 'sssd', 'pamtester', 'dig', 'dbus-daemon', 'nsenter'];
const missing = TOOLS.filter(
  (t) => !['/usr/sbin', '/usr/bin', '/sbin', '/bin'].some((d) => fs.existsSync(`${d}/${t}`)),
);
const isRoot = process.getuid?.() === 0;
const canRun = missing.length === 0 && isRoot;
if (!canRun && process.env.CI === 'true') {
  throw new Error(`ad-join e2e: needs root and ${missing.join(', ')} (see .ci/run)`);
}
if (!canRun) console.warn(`\n*** ad-join e2e SKIPPED: needs root and ${missing.join(', ') || 'root'} ***\n`);

const RIG_SCRIPT = path.join(REPO, 'test/e2e/support/ad-rig.sh');
const NAME = `ba${process.pid % 100000}`;
const ADMIN = ['-H', 'ldap://127.0.0.1', '-U', 'Administrator', '--password=Passw0rd!2024'];
const OU = 'OU=Postes,DC=corp,DC=test';
const COMPUTER_GUID = 'bf967a86-0de6-11d0-a285-00aa003049e2';

interface Step {
  description: string;
  outcome: string;
  error?: string;
}
interface AdReport {
  status: string;
  error?: string;
  steps: Step[];
  observed?: { joined: string[]; testjoin: { ok: boolean } | null; sssdRunning: boolean; permittedGroups: string[] };
}

describe.skipIf(!canRun)('ad-join module: Samba AD DC, one-time password from the hub, realmd and sssd', () => {
  const rig = tempDir('ad-rig');
  const state = tempDir('ad-agent');
  const hubData = tempDir('ad-hub');
  let client = '';
  let revision = 0;
  let lastOutput = '';

  const dc = (args: string[]) =>
    execFileSync('ip', ['netns', 'exec', `${NAME}-dc`, 'samba-tool', ...args], { encoding: 'utf8', stdio: 'pipe' });
  /** Runs a command on the client desktop; returns its exit status and output. */
  const onClient = (cmd: string[], input?: string) => {
    const r = spawnSync(
      'nsenter',
      ['-t', client, '-m', '-u', '-n', 'env', `PATH=${rig}/bin:${process.env.PATH}`, ...cmd],
      {
        encoding: 'utf8',
        input: input ?? '',
        timeout: 240_000,
      },
    );
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  };
  const canSignIn = (user: string, password: string) =>
    onClient(['pamtester', 'login', user, 'authenticate', 'acct_mgmt'], `${password}\n`);

  async function apply(settings: Record<string, unknown>): Promise<AdReport> {
    revision++;
    const file = path.join(state, `config-${revision}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify({
        v: 1,
        id: `01JE1000000000000000000${String(revision).padStart(3, '0')}`,
        ts: new Date().toISOString(),
        revision,
        modules: { 'ad-join': { policyId: 'pol-ad', policyRevision: 1, settings } },
      }),
    );
    const r = onClient([process.execPath, AGENT_BIN, 'apply', '--json', '--state', state, '--config', file]);
    lastOutput = r.out;
    expect(r.status, r.out).toBe(0);
    const report = JSON.parse(r.out.split('\n').find((l) => l.startsWith('{"v"')) ?? 'null') as {
      modules: Record<string, AdReport>;
    };
    return report.modules['ad-join'] as AdReport;
  }

  const settings = (oneTimePassword?: string) => ({
    domain: 'corp.test',
    ou: OU,
    computerName: 'WS01',
    permitGroups: ['staff'],
    fullyQualifiedNames: false,
    homeDirTemplate: '/home/%u',
    mkhomedir: true,
    ...(oneTimePassword ? { oneTimePassword } : {}),
  });

  beforeAll(() => {
    client = execFileSync(RIG_SCRIPT, ['up', rig, NAME], { encoding: 'utf8' }).trim().split('\n').at(-1) ?? '';
    // The directory: an OU for desktops, a delegated join account (create and manage computer objects in
    // that OU only: not a domain admin), a group allowed to sign in and two users.
    dc(['ou', 'create', OU, ...ADMIN]);
    dc(['user', 'add', 'joiner', 'J0iner!Passw0rd', ...ADMIN]);
    const sid = /objectSid: (\S+)/.exec(dc(['user', 'show', 'joiner', '--attributes=objectSid', ...ADMIN]))?.[1];
    dc([
      'dsacl',
      'set',
      `--objectdn=${OU}`,
      `--sddl=(OA;CI;CCDC;${COMPUTER_GUID};;${sid})(OA;CIIO;GA;;${COMPUTER_GUID};${sid})`,
      ...ADMIN,
    ]);
    dc(['group', 'add', 'staff', ...ADMIN]);
    dc(['user', 'add', 'alice', 'Al1ce!Passw0rd', ...ADMIN]);
    dc(['user', 'add', 'bob', 'B0b!Passw0rd', ...ADMIN]);
    dc(['group', 'addmembers', 'staff', 'alice', ...ADMIN]);
    new JoinAccountStore(joinAccountsFile(hubData)).set({
      domain: 'corp.test',
      user: 'joiner',
      password: 'J0iner!Passw0rd',
    });
    // The hub's adcli, run where the DC is reachable: the rig's only network to it is the client's.
    fs.writeFileSync(path.join(rig, 'bin/hub-adcli'), `#!/bin/sh\nexec nsenter -t ${client} -m -u -n adcli "$@"\n`, {
      mode: 0o755,
    });
  }, 180_000);

  afterAll(() => {
    if (lastOutput) console.log(`last apply output:\n${lastOutput.slice(-3000)}`);
    execFileSync(RIG_SCRIPT, ['down', rig, NAME], { stdio: 'inherit' });
    for (const d of [rig, state, hubData])
      fs.rmSync(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  const hubAccounts = () => hubComputerAccounts(hubData, path.join(rig, 'bin/hub-adcli'));

  it('joins with the one-time password the hub pre-created, never showing it', async () => {
    const otp = await hubAccounts().preset('corp.test', OU, 'WS01');
    const m = await apply(settings(otp));
    expect(m.status, JSON.stringify(m)).toBe('applied');
    expect(m.steps.map((s) => s.outcome).every((o) => o === 'done')).toBe(true);
    expect(m.steps[0]?.description).toBe(`join corp.test as WS01 in ${OU} with the one-time password`);
    expect(m.observed).toMatchObject({ joined: ['corp.test'], testjoin: { ok: true }, sssdRunning: true });
    // The password is in no report, log line or step, and not in the agent's records either.
    expect(lastOutput).not.toContain(otp);
    expect(JSON.stringify(m)).not.toContain(otp);
    expect(fs.readFileSync(path.join(state, 'config/applied.json'), 'utf8')).not.toContain(otp);

    expect(onClient(['adcli', 'testjoin', '-D', 'corp.test']).status).toBe(0);
    expect(onClient(['realm', 'list']).out).toMatch(/configured: kerberos-member/);
    const id = onClient(['id', 'alice']);
    expect(id.status, id.out).toBe(0);
    expect(id.out).toMatch(/\(staff\)/);
    // The computer object is where the policy says.
    expect(dc(['computer', 'show', 'WS01', ...ADMIN])).toContain(`CN=WS01,${OU}`);
  });

  it('lets the permitted group sign in and refuses everyone else', () => {
    const alice = canSignIn('alice', 'Al1ce!Passw0rd');
    expect(alice.status, alice.out).toBe(0);
    const bob = canSignIn('bob', 'B0b!Passw0rd');
    expect(bob.status).not.toBe(0);
    expect(bob.out).toMatch(/Permission denied/);
  });

  it('changes nothing on a second apply with the same settings', async () => {
    const m = await apply(settings());
    expect(m).toMatchObject({ status: 'applied', steps: [] });
  });

  it('finds drift (someone let another group sign in) and puts the restriction back', async () => {
    // realmd then restarts sssd with Debian's init script, which fails without systemd: the change is
    // made all the same.
    onClient(['realm', 'permit', '-g', 'domain admins']);
    expect(onClient(['realm', 'list']).out).toMatch(/permitted-groups: staff, domain admins/);
    const m = await apply(settings());
    expect(m.status).toBe('drift');
    expect(m.steps.map((s) => s.description)).toEqual([
      'allow sign-in to the groups staff only',
      // realmd's own restart of sssd (Debian's init script) may have stopped it.
      expect.stringMatching(/^(restart sssd to apply the changes|start sssd)$/),
    ]);
    expect(onClient(['realm', 'list']).out).toMatch(/permitted-groups: staff\n/);
    expect(canSignIn('bob', 'B0b!Passw0rd').status).not.toBe(0);
    let alice = canSignIn('alice', 'Al1ce!Passw0rd');
    // sssd needs a moment after its restart to reach the DC again.
    for (let i = 0; i < 20 && alice.status !== 0; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      alice = canSignIn('alice', 'Al1ce!Passw0rd');
    }
    expect(alice.status, alice.out).toBe(0);
  });

  it('leaves and re-joins when the computer account is gone, once the hub gave a new one-time password', async () => {
    dc(['computer', 'delete', 'WS01', ...ADMIN]);
    expect(onClient(['adcli', 'testjoin', '-D', 'corp.test']).status).not.toBe(0);

    // Without a new password: the broken membership is left, the join fails with a reason, the rest is skipped.
    const stuck = await apply(settings());
    expect(stuck.status).toBe('failed');
    expect(stuck.error).toMatch(/no one-time password: the hub pre-creates the computer account WS01/);
    expect(stuck.steps.slice(0, 2)).toEqual([
      expect.objectContaining({
        description: expect.stringMatching(/^leave corp\.test: its computer account no longer works/),
        outcome: 'done',
      }),
      expect.objectContaining({ description: expect.stringMatching(/^join corp\.test/), outcome: 'failed' }),
    ]);
    expect(stuck.steps.slice(2).every((s) => s.outcome === 'skipped')).toBe(true);
    expect(onClient(['realm', 'list']).out).not.toMatch(/kerberos-member/);

    const otp = await hubAccounts().preset('corp.test', OU, 'WS01');
    const m = await apply(settings(otp));
    expect(m.status, JSON.stringify(m)).toBe('applied');
    expect(onClient(['adcli', 'testjoin', '-D', 'corp.test']).status).toBe(0);
    expect(canSignIn('alice', 'Al1ce!Passw0rd').status).toBe(0);
    expect(canSignIn('bob', 'B0b!Passw0rd').status).not.toBe(0);
  });
});
