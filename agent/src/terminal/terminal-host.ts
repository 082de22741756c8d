import type { ConsentAnswer } from '../system/desktop-prompts.js';
import type { DesktopUser } from '../system/desktop-sessions.js';
import type { TerminalProcess, TerminalSpawnSpec } from '../system/terminal-process.js';
import type { UserAccount } from '../system/user-accounts.js';

/**
 * The operating system as the terminal module sees it; `src/system/` implements each part and tests
 * give a fake. `signal` aborts a command still running when the agent stops.
 */
export interface TerminalHost {
  /** The user of the active graphical session, or null; throws when logind cannot be asked. */
  activeDesktopUser(): Promise<DesktopUser | null>;
  account(name: string): Promise<UserAccount>;
  /** LANG of the system (/etc/default/locale), if it says. */
  systemLang(): string | undefined;
  spawn(spec: TerminalSpawnSpec): Promise<TerminalProcess>;
  notify(user: DesktopUser, summary: string, body: string): Promise<void>;
  ask(
    user: DesktopUser,
    title: string,
    text: string,
    timeoutSeconds: number,
    signal: AbortSignal,
  ): Promise<ConsentAnswer>;
}
