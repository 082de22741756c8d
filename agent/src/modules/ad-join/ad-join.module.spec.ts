import { describe, expect, it } from 'vitest';
import { ConfigEngine } from '../../config/config-engine.js';
import type { Logger } from '../../logging/logger.js';
import { FakeConfigFiles } from '../../system/config-files.js';
import { FakeCommandRunner } from '../../system/fake-command-runner.js';
import { ServiceManager } from '../../system/service-manager.js';
import { AdJoinModule, type AdJoinObserved, PAM_COMMON_SESSION, SSSD_CONF } from './ad-join.module.js';
import { iniGet, iniSet, parseRealmList } from './realm-output.js';

// Recorded from realmd 0.17.1 (Debian 12) joined to a Samba AD DC (test-rigs.md), after `realm permit -g staff`.
const REALM_LIST_JOINED = `corp.test
  type: kerberos
  realm-name: CORP.TEST
  domain-name: corp.test
  configured: kerberos-member
  server-software: active-directory
  client-software: sssd
  required-package: sssd-tools
  required-package: sssd
  required-package: libnss-sss
  required-package: libpam-sss
  required-package: adcli
  required-package: samba-common-bin
  login-formats: %U
  login-policy: allow-permitted-logins
  permitted-logins: 
  permitted-groups: staff
`;
// As realm join wrote it, then with the module's options.
const SSSD_CONF_JOINED = `
[sssd]
domains = corp.test
config_file_version = 2
services = nss, pam

[domain/corp.test]
default_shell = /bin/bash
krb5_store_password_if_offline = True
cache_credentials = True
krb5_realm = CORP.TEST
realmd_tags = manages-system joined-with-adcli 
id_provider = ad
ldap_sasl_authid = WS01$
fallback_homedir = /home/%u@%d
ad_domain = corp.test
use_fully_qualified_names = True
ldap_id_mapping = True
access_provider = simple
simple_allow_groups = staff
`;
const PAM_WITH_MKHOMEDIR = 'session\trequired\tpam_unix.so\nsession\toptional\t\t\tpam_mkhomedir.so\n';
const ok = (stdout = '') => ({ stdout, stderr: '', exitCode: 0 });
const logger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

const settings = {
  domain: 'corp.test',
  ou: 'OU=Postes,DC=corp,DC=test',
  computerName: 'WS01',
  permitGroups: ['staff'],
  fullyQualifiedNames: false,
  homeDirTemplate: '/home/%u',
  mkhomedir: true,
};

function desktop(opts: { realmList?: string; sssd?: string | null; testjoin?: boolean; installed?: string[] } = {}) {
  const realmCalls: string[][] = [];
  const runner = new FakeCommandRunner({
    realm: (args) => {
      realmCalls.push([...args]);
      return args[0] === 'list' ? ok(opts.realmList ?? '') : ok();
    },
    adcli: () =>
      opts.testjoin === false
        ? { stdout: '', stderr: "! Couldn't find a computer account for WS01\nadcli: testjoin failed", exitCode: 1 }
        : ok('Sucessfully validated join to domain corp.test\n'),
    systemctl: (args) => (args[0] === 'is-active' ? ok('active\n') : ok()),
    'dpkg-query': () =>
      ok(
        (opts.installed ?? ['realmd', 'adcli', 'sssd', 'sssd-tools', 'libnss-sss', 'libpam-sss'])
          .map((p) => `${p} installed\n`)
          .join(''),
      ),
    'pam-auth-update': () => ok(),
  });
  const files = new FakeConfigFiles({ [PAM_COMMON_SESSION]: PAM_WITH_MKHOMEDIR });
  if (opts.sssd !== null) files.writeAtomic(SSSD_CONF, opts.sssd ?? SSSD_CONF_JOINED, 0o600);
  const module = new AdJoinModule(runner, files, new ServiceManager(runner));
  return { module, runner, files, realmCalls };
}

describe('realm and sssd.conf parsing', () => {
  it('reads realm list', () => {
    expect(parseRealmList(REALM_LIST_JOINED)).toEqual([
      {
        domain: 'corp.test',
        configured: 'kerberos-member',
        loginPolicy: 'allow-permitted-logins',
        permittedGroups: ['staff'],
        permittedLogins: [],
        loginFormats: '%U',
      },
    ]);
    expect(parseRealmList('')).toEqual([]);
  });

  it('reads and edits one key of one section, leaving the rest as it was', () => {
    expect(iniGet(SSSD_CONF_JOINED, 'domain/corp.test', 'fallback_homedir')).toBe('/home/%u@%d');
    expect(iniGet(SSSD_CONF_JOINED, 'sssd', 'fallback_homedir')).toBeUndefined();
    const edited = iniSet(SSSD_CONF_JOINED, 'domain/corp.test', 'fallback_homedir', '/home/%u');
    expect(edited).toBe(SSSD_CONF_JOINED.replace('/home/%u@%d', '/home/%u'));
    const added = iniSet('[sssd]\ndomains = a\n\n[domain/a]\nid_provider = ad\n\n', 'sssd', 'debug_level', '2');
    expect(added).toBe('[sssd]\ndomains = a\ndebug_level = 2\n\n[domain/a]\nid_provider = ad\n\n');
  });
});

describe('AdJoinModule', () => {
  it('observes a joined desktop (recorded outputs)', async () => {
    const { module } = desktop({ realmList: REALM_LIST_JOINED });
    const s = module.parse(settings);
    const o = await module.observe(s);
    expect(o).toMatchObject({
      joined: ['corp.test'],
      testjoin: { ok: true },
      sssdRunning: true,
      sssd: { useFullyQualifiedNames: true, fallbackHomedir: '/home/%u@%d' },
      mkhomedir: true,
      missingPackages: [],
    });
    // Only the sssd options differ from the policy.
    expect(module.plan(s, o).map((st) => st.description)).toEqual([
      'set sssd options: fully qualified names off, home directory /home/%u',
      'restart sssd to apply the changes',
    ]);
  });

  it('plans nothing when the desktop matches', async () => {
    const conf = SSSD_CONF_JOINED.replace('/home/%u@%d', '/home/%u').replace('names = True', 'names = False');
    const { module } = desktop({ realmList: REALM_LIST_JOINED, sssd: conf });
    const s = module.parse(settings);
    const o = await module.observe(s);
    expect(module.plan(s, o)).toEqual([]);
    expect(module.verify(s, o)).toEqual([]);
  });

  it('joins with the one-time password on the command line only, then permits, configures and restarts', async () => {
    const { module, realmCalls, files } = desktop({ sssd: null });
    const s = module.parse({ ...settings, oneTimePassword: 'OTP-5678-abcd' });
    const o = await module.observe(s);
    const steps = module.plan(s, o);
    expect(steps.map((st) => st.description)).toEqual([
      'join corp.test as WS01 in OU=Postes,DC=corp,DC=test with the one-time password',
      'allow sign-in to the groups staff only',
      'set sssd options: fully qualified names off, home directory /home/%u',
      'restart sssd to apply the changes',
    ]);
    await steps[0]?.run();
    expect(realmCalls.at(-1)).toEqual([
      'join',
      '--one-time-password=OTP-5678-abcd',
      '--computer-name=WS01',
      '--computer-ou=OU=Postes,DC=corp,DC=test',
      'corp.test',
    ]);
    expect(module.secrets(s)).toEqual(['OTP-5678-abcd']);
    // The same settings without the password (the hub drops it once joined) are the same input.
    expect(module.fingerprint(s)).toEqual(module.fingerprint(module.parse(settings)));
    // sssd.conf does not exist before the join: the options step says so rather than invent one.
    await expect(steps[2]?.run()).rejects.toThrow(/sssd\.conf does not exist/);
    files.writeAtomic(SSSD_CONF, SSSD_CONF_JOINED, 0o600);
    await steps[2]?.run();
    expect(files.files.get(SSSD_CONF)).toMatchObject({ mode: 0o600 });
    expect(iniGet(files.read(SSSD_CONF) ?? '', 'domain/corp.test', 'use_fully_qualified_names')).toBe('False');
  });

  it('fails the join with a reason a person can act on when there is no one-time password', async () => {
    const { module, runner } = desktop({ sssd: null });
    const engine = new ConfigEngine({
      modules: [module],
      applied: { readApplied: () => ({}), writeApplied: () => {} },
      clock: { now: () => 0, setTimeout: () => 0, clearTimeout: () => {} },
      ids: () => '01JE0000000000000000000001',
      logger,
      agentVersion: '0.1.0',
    });
    const report = await engine.apply({
      v: 1,
      id: '01JE0000000000000000000002',
      ts: '2026-11-25T10:00:00Z',
      revision: 1,
      agent: {},
      modules: { 'ad-join': { policyId: 'p', policyRevision: 1, settings } },
    });
    expect(report.modules['ad-join']).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/not joined to corp\.test and no one-time password: the hub pre-creates/),
      steps: [{ outcome: 'failed' }, { outcome: 'skipped' }, { outcome: 'skipped' }, { outcome: 'skipped' }],
    });
    expect(runner.calls.some((c) => c.bin === 'realm' && c.args[0] === 'join')).toBe(false);
  });

  it('refuses to let realm install packages: names the missing ones', async () => {
    const { module, runner } = desktop({ sssd: null, installed: ['realmd', 'adcli'] });
    const s = module.parse({ ...settings, oneTimePassword: 'OTP-5678-abcd' });
    const o = await module.observe(s);
    expect(o.missingPackages).toEqual(['sssd', 'sssd-tools', 'libnss-sss', 'libpam-sss']);
    await expect(module.plan(s, o)[0]?.run()).rejects.toThrow(
      'the Debian packages sssd, sssd-tools, libnss-sss, libpam-sss are needed to join: install them (Bascule installs nothing by itself)',
    );
    expect(runner.calls.some((c) => c.bin === 'realm' && c.args[0] === 'join')).toBe(false);
  });

  it('leaves the old domain and joins the new one when the domain changes', () => {
    const { module } = desktop();
    const s = module.parse({ ...settings, domain: 'new.example.fr', oneTimePassword: 'OTP-5678-abcd' });
    const o: AdJoinObserved = {
      joined: ['corp.test'],
      realm: null,
      testjoin: null,
      sssdRunning: true,
      sssd: null,
      mkhomedir: true,
      missingPackages: [],
    };
    expect(
      module
        .plan(s, o)
        .map((st) => st.description)
        .slice(0, 2),
    ).toEqual([
      'leave corp.test (the policy now names new.example.fr; the old computer account stays in its directory)',
      'join new.example.fr as WS01 in OU=Postes,DC=corp,DC=test with the one-time password',
    ]);
  });

  it('leaves and re-joins when the computer account no longer works', async () => {
    const { module } = desktop({ realmList: REALM_LIST_JOINED, testjoin: false });
    const s = module.parse({ ...settings, oneTimePassword: 'OTP-5678-abcd' });
    const steps = module.plan(s, await module.observe(s)).map((st) => st.description);
    expect(steps[0]).toMatch(
      /^leave corp\.test: its computer account no longer works \(adcli testjoin: Couldn't find a computer account for WS01\)/,
    );
    expect(steps[1]).toMatch(/^join corp\.test/);
  });

  it('adds missing groups before withdrawing the others, and permits everyone with an empty list', async () => {
    const list = REALM_LIST_JOINED.replace('permitted-groups: staff', 'permitted-groups: staff, domain admins');
    const { module, realmCalls } = desktop({ realmList: list });
    const s = module.parse({ ...settings, permitGroups: ['staff', 'secretariat'] });
    const steps = module.plan(s, await module.observe(s));
    await steps.find((st) => st.description.startsWith('allow sign-in'))?.run();
    expect(realmCalls.filter((c) => c[0] === 'permit')).toEqual([
      ['permit', '-R', 'corp.test', '-g', 'staff', '-g', 'secretariat'],
      ['permit', '-x', '-R', 'corp.test', '-g', 'domain admins'],
    ]);
    const all = module.parse({ ...settings, permitGroups: [] });
    const allSteps = module.plan(all, await module.observe(all));
    await allSteps.find((st) => st.description === 'allow every domain user to sign in')?.run();
    expect(realmCalls.at(-1)).toEqual(['permit', '--all', '-R', 'corp.test']);
  });

  it('names realmd when realm is missing', async () => {
    const engine = new ConfigEngine({
      modules: [
        new AdJoinModule(
          new FakeCommandRunner({}),
          new FakeConfigFiles(),
          new ServiceManager(new FakeCommandRunner({})),
        ),
      ],
      applied: { readApplied: () => ({}), writeApplied: () => {} },
      clock: { now: () => 0, setTimeout: () => 0, clearTimeout: () => {} },
      ids: () => '01JE0000000000000000000001',
      logger,
      agentVersion: '0.1.0',
    });
    const report = await engine.apply({
      v: 1,
      id: '01JE0000000000000000000002',
      ts: '2026-11-25T10:00:00Z',
      revision: 1,
      agent: {},
      modules: { 'ad-join': { policyId: 'p', policyRevision: 1, settings } },
    });
    expect(report.modules['ad-join']?.error).toBe(
      'realm is not installed: install the Debian package realmd (Bascule installs nothing by itself)',
    );
  });
});
