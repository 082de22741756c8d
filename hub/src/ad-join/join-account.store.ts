import fs from 'node:fs';
import path from 'node:path';

/** The delegated account that may create computer objects in one OU (never a domain administrator). */
export interface JoinAccount {
  domain: string;
  user: string;
  password: string;
  /** A domain controller to talk to when DNS does not find one (adcli `--domain-controller`). */
  domainController?: string;
}

/** Where the join accounts live: a 0600 file in a 0700 directory of the hub's data directory. */
export function joinAccountsFile(dataDir: string): string {
  return path.join(dataDir, 'secrets', 'ad-join-accounts.json');
}

/**
 * The hub's AD join accounts, one per domain. Plain JSON in a file only the hub's user can read
 * (docs/decisions.md: encrypting it with a key kept next to it would add nothing). Never logged,
 * never put in a device's config.
 */
export class JoinAccountStore {
  constructor(private readonly file: string) {}

  get(domain: string): JoinAccount | undefined {
    return this.read()[domain.toLowerCase()];
  }

  /** Domains and users, without passwords. */
  list(): { domain: string; user: string; domainController?: string }[] {
    return Object.values(this.read()).map(({ password: _password, ...rest }) => rest);
  }

  set(account: JoinAccount): void {
    if (!account.user || !account.password) throw new Error('a join account needs a user and a password');
    const all = this.read();
    all[account.domain.toLowerCase()] = { ...account, domain: account.domain.toLowerCase() };
    this.write(all);
  }

  remove(domain: string): boolean {
    const all = this.read();
    if (!all[domain.toLowerCase()]) return false;
    delete all[domain.toLowerCase()];
    this.write(all);
    return true;
  }

  private read(): Record<string, JoinAccount> {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
    return JSON.parse(text) as Record<string, JoinAccount>;
  }

  private write(all: Record<string, JoinAccount>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}
