import type { UsersSection } from '@bascule/protocol';
import { optionalOutput } from './command-output.js';
import { type InventoryDeps, part } from './inventory-deps.js';
import { loginSessions } from './login-sessions.js';
import { isDomainUserName, parseLast, parseLocalAccounts } from './passwd-parser.js';

const LAST_TIMEOUT_MS = 15_000;
const LAST_LOGINS = 50;

/**
 * Local accounts (/etc/passwd, required), who is signed in, the last logins (wtmp through `last`),
 * and the directory users seen on this machine: in wtmp, in logind's sessions, and as home
 * directories named `user@domain` (sssd's default fallback_homedir).
 */
export async function collectUsers(deps: InventoryDeps): Promise<UsersSection> {
  const passwd = await deps.files.readText('/etc/passwd');
  if (passwd === undefined) throw new Error('/etc/passwd is missing');
  const [sessions, last, homes] = await Promise.all([
    part(deps, 'sessions', () => loginSessions(deps.runner)),
    part(deps, 'last logins', async () => {
      const out = await optionalOutput(
        deps.runner,
        'last',
        ['-F', '-w', '-n', String(LAST_LOGINS * 4)],
        LAST_TIMEOUT_MS,
      );
      return out === undefined ? [] : parseLast(out);
    }),
    deps.files.list('/home'),
  ]);
  const loggedIn = (sessions ?? [])
    .map((s) => ({ name: s.name, type: s.type, remote: s.remote, ...(s.since ? { since: s.since } : {}) }))
    .sort((a, b) => a.name.localeCompare(b.name) || (a.since ?? '').localeCompare(b.since ?? ''));
  const lastLogins = (last ?? []).slice(0, LAST_LOGINS);
  const seen = [...(last ?? []).map((l) => l.name), ...loggedIn.map((s) => s.name), ...homes];
  const domainUsers = [...new Set(seen.filter(isDomainUserName).map((n) => n.toLowerCase()))].sort();
  return { accounts: parseLocalAccounts(passwd), loggedIn, lastLogins, domainUsers: domainUsers.slice(0, 5_000) };
}
