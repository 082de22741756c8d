import { type AdJoinSettings, adJoinSettingsSchema } from '@bascule/protocol';
import type { ConfigModule, PlannedStep } from '../../config/config-module.js';
import type { CommandResult, CommandRunner } from '../../system/command-runner.js';
import type { ConfigFiles } from '../../system/config-files.js';
import type { ServiceManager } from '../../system/service-manager.js';
import { iniGet, iniSet, parseRealmList, type RealmEntry } from './realm-output.js';

export const SSSD_CONF = '/etc/sssd/sssd.conf';
export const PAM_COMMON_SESSION = '/etc/pam.d/common-session';
/** What `realm join` needs for an AD domain with sssd; realmd would otherwise try to install them. */
export const JOIN_PACKAGES = ['realmd', 'adcli', 'sssd', 'sssd-tools', 'libnss-sss', 'libpam-sss'] as const;

export interface AdJoinObserved {
  /** Domains this machine is a member of (`realm list`, configured: kerberos-member). */
  joined: string[];
  /** The configured domain's realm entry, when joined to it. */
  realm: RealmEntry | null;
  /** `adcli testjoin` of the configured domain: null when not joined. */
  testjoin: { ok: boolean; message: string } | null;
  sssdRunning: boolean;
  /** The configured domain's sssd options, null without an sssd.conf section for it. */
  sssd: { useFullyQualifiedNames: boolean; fallbackHomedir: string | null } | null;
  mkhomedir: boolean;
  /** Packages a join needs that are not installed (only looked at when a join is due). */
  missingPackages: string[];
}

const JOIN_TIMEOUT_MS = 180_000;
const TIMEOUT_MS = 60_000;

/**
 * `ad-join`: realmd / adcli / sssd. The desktop joins with the one-time password of a computer account
 * the hub pre-created (`adcli preset-computer`); it never holds a domain administrator's password. The
 * password is a secret: it goes on realm's command line only (never in a log, a step or the report).
 * Leaving a domain (`realm leave`, when the domain changes) deconfigures the desktop only: the old
 * computer account stays in its directory for IT to delete.
 */
export class AdJoinModule implements ConfigModule<AdJoinSettings, AdJoinObserved> {
  readonly name = 'ad-join' as const;
  readonly tools = {
    realm: 'realmd',
    adcli: 'adcli',
    systemctl: 'systemd',
    'pam-auth-update': 'libpam-runtime',
    'dpkg-query': 'dpkg',
  };

  constructor(
    private readonly runner: CommandRunner,
    private readonly files: ConfigFiles,
    private readonly services: ServiceManager,
  ) {}

  parse(settings: unknown): AdJoinSettings {
    return adJoinSettingsSchema.parse(settings);
  }

  async observe(settings: AdJoinSettings | undefined): Promise<AdJoinObserved> {
    const realms = parseRealmList((await this.cmd('realm', ['list'])).stdout);
    const joined = realms.filter((r) => r.configured !== 'no').map((r) => r.domain);
    const domain = settings?.domain.toLowerCase();
    const realm = realms.find((r) => r.domain === domain && r.configured !== 'no') ?? null;
    let testjoin: AdJoinObserved['testjoin'] = null;
    if (realm && domain) {
      const r = await this.runner.run('adcli', ['testjoin', '-D', domain], { timeout: TIMEOUT_MS });
      // adcli prints its reasons on "! …" lines.
      const reasons = r.stderr
        .split('\n')
        .filter((l) => l.startsWith('!'))
        .map((l) => l.slice(1).trim());
      const message = r.exitCode === 0 ? r.stdout.trim() : reasons.join('; ') || lastLine(r);
      testjoin = { ok: r.exitCode === 0, message };
    }
    const conf = this.files.read(SSSD_CONF);
    const section = domain ? `domain/${domain}` : undefined;
    const fqn = conf && section ? iniGet(conf, section, 'use_fully_qualified_names') : undefined;
    const sssd =
      conf && section && iniGet(conf, section, 'id_provider') !== undefined
        ? {
            useFullyQualifiedNames: (fqn ?? 'false').toLowerCase() === 'true',
            fallbackHomedir: iniGet(conf, section, 'fallback_homedir') ?? null,
          }
        : null;
    const pam = this.files.read(PAM_COMMON_SESSION) ?? '';
    return {
      joined,
      realm,
      testjoin,
      sssdRunning: await this.services.isActive('sssd'),
      sssd,
      mkhomedir: /^[^#]*pam_mkhomedir\.so/m.test(pam),
      missingPackages: settings && !realm ? await this.missingPackages() : [],
    };
  }

  plan(s: AdJoinSettings, o: AdJoinObserved): PlannedStep[] {
    const domain = s.domain.toLowerCase();
    const steps: PlannedStep[] = [];
    const broken = o.realm !== null && o.testjoin?.ok === false;
    for (const other of o.joined.filter((d) => d !== domain || broken)) {
      steps.push({
        description:
          other === domain
            ? `leave ${other}: its computer account no longer works (adcli testjoin: ${o.testjoin?.message ?? ''})`
            : `leave ${other} (the policy now names ${domain}; the old computer account stays in its directory)`,
        run: () => this.check('realm', ['leave', other], JOIN_TIMEOUT_MS),
      });
    }
    const join = o.realm === null || broken;
    if (join) steps.push(this.joinStep(s, o));
    const permit = join || !this.permitMatches(s, o.realm);
    if (permit) {
      steps.push({
        description:
          s.permitGroups.length === 0
            ? 'allow every domain user to sign in'
            : `allow sign-in to the groups ${s.permitGroups.join(', ')} only`,
        run: () => this.permit(s, domain),
      });
    }
    const sssd = join || !this.sssdMatches(s, o);
    if (sssd) {
      steps.push({
        description: `set sssd options: fully qualified names ${s.fullyQualifiedNames ? 'on' : 'off'}, home directory ${s.homeDirTemplate}`,
        run: async () => this.writeSssdOptions(s, domain),
      });
    }
    if (s.mkhomedir !== o.mkhomedir) {
      const flag = s.mkhomedir ? '--enable' : '--remove';
      steps.push({
        description: s.mkhomedir
          ? 'create home directories at first sign-in (pam_mkhomedir)'
          : 'stop creating home directories at sign-in',
        run: () => this.check('pam-auth-update', ['--package', flag, 'mkhomedir'], TIMEOUT_MS),
      });
    }
    if (join || permit || sssd || !o.sssdRunning) {
      steps.push({
        description: o.sssdRunning ? 'restart sssd to apply the changes' : 'start sssd',
        run: () => this.services.restart('sssd'),
      });
    }
    return steps;
  }

  verify(s: AdJoinSettings, o: AdJoinObserved): string[] {
    const problems: string[] = [];
    const domain = s.domain.toLowerCase();
    if (!o.realm) problems.push(`not joined to ${domain}`);
    else if (!o.testjoin?.ok) problems.push(`adcli testjoin failed: ${o.testjoin?.message ?? 'no answer'}`);
    const others = o.joined.filter((d) => d !== domain);
    if (others.length > 0) problems.push(`still joined to ${others.join(', ')}`);
    if (o.realm && !this.permitMatches(s, o.realm)) {
      problems.push(`sign-in policy is ${o.realm.loginPolicy} (${o.realm.permittedGroups.join(', ') || 'no group'})`);
    }
    if (!this.sssdMatches(s, o)) problems.push('sssd options differ from the policy');
    if (s.mkhomedir !== o.mkhomedir) problems.push(`pam_mkhomedir is ${o.mkhomedir ? 'on' : 'off'}`);
    if (!o.sssdRunning) problems.push('sssd is not running');
    return problems;
  }

  /** Bascule does not leave a domain because a policy disappeared: users would lose their sign-in. */
  release(): PlannedStep[] {
    return [];
  }

  reportable(o: AdJoinObserved): unknown {
    return {
      joined: o.joined,
      loginPolicy: o.realm?.loginPolicy ?? null,
      permittedGroups: o.realm?.permittedGroups ?? [],
      testjoin: o.testjoin,
      sssdRunning: o.sssdRunning,
      sssd: o.sssd,
      mkhomedir: o.mkhomedir,
      ...(o.missingPackages.length > 0 ? { missingPackages: o.missingPackages } : {}),
    };
  }

  secrets(s: AdJoinSettings): string[] {
    return s.oneTimePassword ? [s.oneTimePassword] : [];
  }

  fingerprint(s: AdJoinSettings): unknown {
    const { oneTimePassword: _, ...rest } = s;
    return rest;
  }

  private joinStep(s: AdJoinSettings, o: AdJoinObserved): PlannedStep {
    const domain = s.domain.toLowerCase();
    const where = s.ou ? ` in ${s.ou}` : '';
    return {
      description: `join ${domain} as ${s.computerName}${where} with the one-time password`,
      run: async () => {
        if (o.missingPackages.length > 0) {
          throw new Error(
            `the Debian packages ${o.missingPackages.join(', ')} are needed to join: install them (Bascule installs nothing by itself)`,
          );
        }
        if (!s.oneTimePassword) {
          throw new Error(
            `not joined to ${domain} and no one-time password: the hub pre-creates the computer account ${s.computerName} and sends one; check the hub's join account`,
          );
        }
        const args = ['join', `--one-time-password=${s.oneTimePassword}`, `--computer-name=${s.computerName}`];
        if (s.ou) args.push(`--computer-ou=${s.ou}`);
        args.push(domain);
        await this.check('realm', args, JOIN_TIMEOUT_MS);
      },
    };
  }

  private permitMatches(s: AdJoinSettings, realm: RealmEntry | null): boolean {
    if (!realm) return false;
    if (s.permitGroups.length === 0) return realm.loginPolicy === 'allow-realm-logins';
    const want = new Set(s.permitGroups.map((g) => g.toLowerCase()));
    const have = new Set(realm.permittedGroups.map((g) => g.toLowerCase()));
    return (
      realm.loginPolicy === 'allow-permitted-logins' && want.size === have.size && [...want].every((g) => have.has(g))
    );
  }

  /** Adds the missing groups first, then withdraws the others: nobody allowed is ever locked out. */
  private async permit(s: AdJoinSettings, domain: string): Promise<void> {
    if (s.permitGroups.length === 0) {
      await this.check('realm', ['permit', '--all', '-R', domain], TIMEOUT_MS);
      return;
    }
    const realm = parseRealmList((await this.cmd('realm', ['list'])).stdout).find((r) => r.domain === domain);
    const restricted = realm?.loginPolicy === 'allow-permitted-logins';
    const have = new Set(restricted ? realm.permittedGroups.map((g) => g.toLowerCase()) : []);
    const want = new Set(s.permitGroups.map((g) => g.toLowerCase()));
    const add = s.permitGroups.filter((g) => !have.has(g.toLowerCase()));
    const withdraw = restricted ? realm.permittedGroups.filter((g) => !want.has(g.toLowerCase())) : [];
    if (add.length > 0 || !restricted) {
      await this.check('realm', ['permit', '-R', domain, ...s.permitGroups.flatMap((g) => ['-g', g])], TIMEOUT_MS);
    }
    if (withdraw.length > 0) {
      await this.check('realm', ['permit', '-x', '-R', domain, ...withdraw.flatMap((g) => ['-g', g])], TIMEOUT_MS);
    }
  }

  private sssdMatches(s: AdJoinSettings, o: AdJoinObserved): boolean {
    return (
      o.sssd !== null &&
      o.sssd.useFullyQualifiedNames === s.fullyQualifiedNames &&
      o.sssd.fallbackHomedir === s.homeDirTemplate
    );
  }

  private writeSssdOptions(s: AdJoinSettings, domain: string): void {
    const conf = this.files.read(SSSD_CONF);
    if (conf === null) throw new Error(`${SSSD_CONF} does not exist: realm join did not configure sssd`);
    const section = `domain/${domain}`;
    let next = iniSet(conf, section, 'use_fully_qualified_names', s.fullyQualifiedNames ? 'True' : 'False');
    next = iniSet(next, section, 'fallback_homedir', s.homeDirTemplate);
    // sssd refuses to start unless its configuration is private to root.
    if (next !== conf) this.files.writeAtomic(SSSD_CONF, next, 0o600);
  }

  private async missingPackages(): Promise<string[]> {
    // dpkg-query's own format placeholders, not a template string.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's format syntax
    const format = '-f=${Package} ${db:Status-Status}\\n';
    const r = await this.runner.run('dpkg-query', ['-W', format, ...JOIN_PACKAGES], {
      timeout: TIMEOUT_MS,
    });
    const installed = new Set(
      r.stdout
        .split('\n')
        .map((l) => l.trim().split(' '))
        .filter(([, status]) => status === 'installed')
        .map(([name]) => name),
    );
    return JOIN_PACKAGES.filter((p) => !installed.has(p));
  }

  private async cmd(bin: string, args: string[]): Promise<CommandResult> {
    const r = await this.runner.run(bin, args, { timeout: TIMEOUT_MS });
    if (r.exitCode !== 0) throw new Error(`${bin} ${args.join(' ')} failed (exit ${r.exitCode}): ${lastLine(r)}`);
    return r;
  }

  private async check(bin: string, args: string[], timeout: number): Promise<void> {
    const r = await this.runner.run(bin, args, { timeout });
    if (r.exitCode !== 0) {
      // Never echo the arguments: the join's carry the one-time password.
      throw new Error(`${bin} ${args[0]} failed (exit ${r.exitCode}): ${lastLine(r)}`);
    }
  }
}

function lastLine(r: CommandResult): string {
  const lines = (r.stderr || r.stdout)
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '');
  return lines.at(-1) ?? 'no message';
}
