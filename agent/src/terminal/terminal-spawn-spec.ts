import type { TerminalOpenParams } from '@bascule/protocol';
import type { DesktopUser } from '../system/desktop-sessions.js';
import type { TerminalSpawnSpec } from '../system/terminal-process.js';
import type { UserAccount } from '../system/user-accounts.js';

const ROOT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const USER_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games';
/** runuser sets the supplementary groups (initgroups) that a bare setuid in node-pty would not. */
const RUNUSER = '/usr/sbin/runuser';

/**
 * The process of a session: a login shell (`-l`) or `shell -c command`, as root or, through runuser,
 * as the desktop user. The environment is built from scratch so none of the agent's own (and nothing
 * secret) leaks into the helpdesk's shell.
 */
export function buildSpawnSpec(
  params: TerminalOpenParams,
  account: UserAccount,
  desktop: DesktopUser | null,
  lang: string,
): TerminalSpawnSpec {
  const shellArgs = params.mode === 'shell' ? ['-l'] : ['-c', params.command ?? ''];
  const env: Record<string, string> = {
    HOME: account.home,
    USER: account.name,
    LOGNAME: account.name,
    SHELL: account.shell,
    PATH: account.uid === 0 ? ROOT_PATH : USER_PATH,
    LANG: lang,
  };
  if (params.pty) env.TERM = params.term;
  if (params.as === 'user' && desktop) {
    const runtime = `/run/user/${account.uid}`;
    env.XDG_RUNTIME_DIR = runtime;
    env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${runtime}/bus`;
    if (desktop.display) env.DISPLAY = desktop.display;
  }
  const asUser = params.as === 'user' && account.uid !== 0;
  return {
    pty: params.pty,
    file: asUser ? RUNUSER : account.shell,
    args: asUser ? ['-u', account.name, '--', account.shell, ...shellArgs] : shellArgs,
    env,
    cwd: account.home,
    cols: params.size.cols,
    rows: params.size.rows,
  };
}
