import { CommandNotFoundError, type CommandRunner } from '../system/command-runner.js';
import { parseSessionIds } from '../system/desktop-sessions.js';
import { type LoginSession, parseLoginctlSessions, parseWho } from './loginctl-parser.js';

const TIMEOUT_MS = 10_000;

/** Who is signed in, from logind; from `who` (utmp) where logind does not run. [] when neither exists. */
export async function loginSessions(runner: CommandRunner): Promise<LoginSession[]> {
  try {
    const list = await runner.run('loginctl', ['list-sessions', '--no-legend'], { timeout: TIMEOUT_MS });
    if (list.exitCode === 0) {
      const ids = parseSessionIds(list.stdout);
      if (ids.length === 0) return [];
      const props = ['Id', 'Name', 'Type', 'Remote', 'Active', 'Class', 'Timestamp'].flatMap((p) => ['-p', p]);
      const show = await runner.run('loginctl', ['show-session', ...ids, ...props], { timeout: TIMEOUT_MS });
      // A session may end between the two calls: loginctl then fails for it but prints the others.
      return parseLoginctlSessions(show.stdout);
    }
  } catch (err) {
    if (!(err instanceof CommandNotFoundError)) throw err;
  }
  try {
    const who = await runner.run('who', [], { timeout: TIMEOUT_MS });
    return who.exitCode === 0 ? parseWho(who.stdout) : [];
  } catch (err) {
    if (err instanceof CommandNotFoundError) return [];
    throw err;
  }
}
