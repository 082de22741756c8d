import type { CommandRunner } from './command-runner.js';
import type { DesktopUser } from './desktop-sessions.js';

export type ConsentAnswer = 'accepted' | 'refused' | 'timeout' | 'unavailable';

/** zenity's exit status when `--timeout` ran out. */
const ZENITY_TIMEOUT = 5;
/** `env` could not find the program. */
const NOT_FOUND = 127;

/**
 * Talks to the person at the desktop: notifications (notify-send) and questions (zenity), run as
 * that user in their session (`runuser`), since root cannot reach the user's session bus.
 */
export class DesktopPrompts {
  constructor(private readonly runner: CommandRunner) {}

  /** Throws when the notification could not be shown (notify-send missing, no session bus…). */
  async notify(user: DesktopUser, summary: string, body: string): Promise<void> {
    const result = await this.runner.run(
      'runuser',
      ['-u', user.name, '--', ...sessionEnv(user), 'notify-send', '--app-name=Bascule', summary, body],
      { timeout: 10_000 },
    );
    if (result.exitCode === NOT_FOUND) throw new Error('notify-send is not installed (package libnotify-bin)');
    if (result.exitCode !== 0) {
      throw new Error(`notify-send failed with status ${result.exitCode}: ${result.stderr.trim().slice(0, 300)}`);
    }
  }

  /** Asks a yes/no question; no answer within `timeoutSeconds` is `timeout`. */
  async ask(
    user: DesktopUser,
    title: string,
    text: string,
    timeoutSeconds: number,
    signal?: AbortSignal,
  ): Promise<ConsentAnswer> {
    const result = await this.runner.run(
      'runuser',
      [
        '-u',
        user.name,
        '--',
        ...sessionEnv(user),
        'zenity',
        '--question',
        `--title=${title}`,
        `--text=${text}`,
        `--timeout=${timeoutSeconds}`,
        '--ok-label=Accepter',
        '--cancel-label=Refuser',
        '--no-wrap',
      ],
      { timeout: (timeoutSeconds + 15) * 1000, ...(signal ? { signal } : {}) },
    );
    switch (result.exitCode) {
      case 0:
        return 'accepted';
      case 1:
        return 'refused';
      case ZENITY_TIMEOUT:
        return 'timeout';
      default:
        return 'unavailable';
    }
  }
}

/** `env VAR=… ` prefix that lets a program reach the user's session bus and display. */
function sessionEnv(user: DesktopUser): string[] {
  const runtime = `/run/user/${user.uid}`;
  const vars = [`XDG_RUNTIME_DIR=${runtime}`, `DBUS_SESSION_BUS_ADDRESS=unix:path=${runtime}/bus`];
  vars.push(`DISPLAY=${user.display ?? ':0'}`);
  if (user.type === 'wayland') vars.push('WAYLAND_DISPLAY=wayland-0');
  return ['env', ...vars];
}
