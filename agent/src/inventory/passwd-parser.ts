import type { UsersSection } from '@bascule/protocol';
import { UnreadableOutputError } from './key-value.js';

type Account = UsersSection['accounts'][number];

// Debian's UID_MIN..UID_MAX for people; 65534 is nobody.
const FIRST_UID = 1000;
const LAST_UID = 59999;

/** People's local accounts from /etc/passwd (uid 1000 to 59999), sorted by name. */
export function parseLocalAccounts(passwd: string): Account[] {
  const accounts: Account[] = [];
  const lines = passwd.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  for (const line of lines) {
    const f = line.split(':');
    if (f.length < 7) throw new UnreadableOutputError('/etc/passwd', 'a line without 7 fields', line);
    const [name, , uidText, , gecos, home, shell] = f as [string, string, string, string, string, string, string];
    const uid = Number(uidText);
    if (!name || uidText === '' || !Number.isInteger(uid)) {
      throw new UnreadableOutputError('/etc/passwd', 'a line without name or numeric uid', line);
    }
    if (uid < FIRST_UID || uid > LAST_UID) continue;
    const fullName = gecos.split(',')[0]?.trim();
    accounts.push({
      name,
      uid,
      ...(fullName ? { fullName } : {}),
      ...(home ? { home } : {}),
      ...(shell ? { shell } : {}),
    });
  }
  return accounts.sort((a, b) => a.name.localeCompare(b.name));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LAST_LINE =
  /^(\S+)\s+(\S+)\s+(.*?)\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d\d:\d\d:\d\d) (\d{4})/;

export interface LastLogin {
  name: string;
  terminal?: string;
  host?: string;
  /** Local time of the machine, `YYYY-MM-DDTHH:MM:SS` (wtmp has no zone). */
  at: string;
}

/**
 * `last -F -w -n N` (full times, full names): `alice pts/0 10.0.0.2 Wed Nov 25 08:01:02 2026 - …`.
 * `reboot`/`shutdown` pseudo-users and the `wtmp begins` footer are skipped. Latest first, as last
 * prints them.
 */
export function parseLast(stdout: string): LastLogin[] {
  const logins: LastLogin[] = [];
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  for (const line of lines) {
    if (/^wtmp begins|^btmp begins/.test(line)) continue;
    const m = LAST_LINE.exec(line);
    if (!m) throw new UnreadableOutputError('last -F -w', 'unexpected line', line);
    const [, name, terminal, host, mon, day, time, year] = m as unknown as string[];
    if (name === 'reboot' || name === 'shutdown' || name === 'runlevel') continue;
    const month = String(MONTHS.indexOf(mon as string) + 1).padStart(2, '0');
    logins.push({
      name: name as string,
      ...(terminal ? { terminal } : {}),
      ...(host?.trim() ? { host: host.trim() } : {}),
      at: `${year}-${month}-${(day as string).padStart(2, '0')}T${time}`,
    });
  }
  return logins;
}

/** A directory account's name: `user@domain` (sssd's default) or `DOMAIN\user` (winbind). */
export function isDomainUserName(name: string): boolean {
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(name) || /^[^\\\s]+\\[^\\\s]+$/.test(name);
}
