import { randomInt } from 'node:crypto';
import { JoinAccountStore, joinAccountsFile } from './join-account.store.js';
import { ProcessRunner } from './process-runner.js';

/** Pre-creates AD computer accounts so that a desktop joins without any administrator password. */
export interface AdComputerAccounts {
  /**
   * Creates (or resets) the computer account `computerName` in `ou` of `domain` with a fresh
   * one-time password and returns that password. Throws with a sentence a person can act on.
   */
  preset(domain: string, ou: string | undefined, computerName: string): Promise<string>;
}

const OTP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** 24 characters from a 57-letter alphabet: about 140 bits. */
export function generateJoinPassword(): string {
  let out = '';
  for (let i = 0; i < 24; i++) out += OTP_ALPHABET[randomInt(OTP_ALPHABET.length)];
  return out;
}

/**
 * `adcli preset-computer` with the hub's delegated join account. The join account's password goes
 * to adcli on stdin (`--stdin-password`), never on the command line nor in a log.
 */
export class AdcliComputerAccounts implements AdComputerAccounts {
  constructor(
    private readonly accounts: JoinAccountStore,
    private readonly runner: ProcessRunner,
    private readonly adcli = 'adcli',
  ) {}

  async preset(domain: string, ou: string | undefined, computerName: string): Promise<string> {
    const account = this.accounts.get(domain);
    if (!account) {
      throw new Error(
        `no join account for ${domain}: run "bascule-hub ad-join-account set --domain ${domain} --user USER --password-stdin"`,
      );
    }
    const otp = generateJoinPassword();
    const args = ['preset-computer', '--domain', domain, '--one-time-password', otp, '--login-user', account.user];
    if (ou) args.push('--domain-ou', ou);
    if (account.domainController) args.push('--domain-controller', account.domainController);
    args.push('--stdin-password', '--verbose', computerName);
    let r: Awaited<ReturnType<ProcessRunner['run']>>;
    try {
      r = await this.runner.run(this.adcli, args, { stdin: `${account.password}\n`, timeoutMs: 60_000 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error('adcli is not installed on the hub: apt install adcli');
      }
      throw err;
    }
    if (r.code !== 0) {
      // adcli prints " ! reason" lines and a final "adcli: …"; those are what a person needs.
      const reason = r.stderr
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.startsWith('!') || l.startsWith('adcli:'))
        .join(' ');
      throw new Error(
        `adcli preset-computer ${computerName} in ${domain} failed (exit ${r.code}): ${reason || r.stderr.trim().slice(-500)}`,
      );
    }
    return otp;
  }
}

/** For specs: remembers what it pre-created; `failWith` makes the next calls fail. */
export class FakeComputerAccounts implements AdComputerAccounts {
  readonly created: { domain: string; ou: string | undefined; computerName: string; password: string }[] = [];
  failWith: string | null = null;

  async preset(domain: string, ou: string | undefined, computerName: string): Promise<string> {
    if (this.failWith) throw new Error(this.failWith);
    const password = generateJoinPassword();
    this.created.push({ domain, ou, computerName, password });
    return password;
  }
}

/**
 * The computer accounts of the hub whose data directory is `dataDir`, as `serve` uses them; the AD
 * end-to-end test calls `preset()` through this against its Samba DC.
 */
export function hubComputerAccounts(dataDir: string, adcli = 'adcli'): AdComputerAccounts {
  return new AdcliComputerAccounts(new JoinAccountStore(joinAccountsFile(dataDir)), new ProcessRunner(), adcli);
}
