import type { CommandRunner } from './command-runner.js';

/** One line of the passwd database (local files, LDAP or sssd: whatever NSS says). */
export interface UserAccount {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

const NAME = /^[a-z_][a-z0-9._@$-]{0,255}$/i;

/** Reads accounts with `getent passwd`, so domain users (sssd) are found like local ones. */
export class UserAccounts {
  constructor(private readonly runner: CommandRunner) {}

  /** Throws when the account does not exist. */
  async lookup(name: string): Promise<UserAccount> {
    if (!NAME.test(name)) throw new Error(`"${name}" is not a user name`);
    const result = await this.runner.run('getent', ['passwd', name], { timeout: 10_000 });
    if (result.exitCode === 2) throw new Error(`user ${name} not found (getent passwd)`);
    if (result.exitCode !== 0) throw new Error(`getent passwd ${name} failed with status ${result.exitCode}`);
    const account = parsePasswdLine(result.stdout.split('\n')[0] ?? '');
    if (!account) throw new Error(`getent passwd ${name}: unreadable line`);
    return account;
  }
}

export function parsePasswdLine(line: string): UserAccount | null {
  const fields = line.trim().split(':');
  if (fields.length < 7) return null;
  const [name, , uid, gid, , home, shell] = fields as [string, string, string, string, string, string, string];
  const u = Number(uid);
  const g = Number(gid);
  if (!name || !Number.isInteger(u) || !Number.isInteger(g) || uid === '' || gid === '') return null;
  return { name, uid: u, gid: g, home: home || '/', shell: shell || '/bin/sh' };
}
