import type { CommandRunner } from './command-runner.js';

/** The person signed in to the desktop's active graphical session. */
export interface DesktopUser {
  name: string;
  uid: number;
  sessionId: string;
  /** `x11`, `wayland`… */
  type: string;
  /** X display (`:0`) when logind knows it. */
  display: string | null;
}

const GRAPHICAL = new Set(['x11', 'wayland', 'mir']);
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Finds the active desktop session with logind (`loginctl`). */
export class DesktopSessions {
  constructor(private readonly runner: CommandRunner) {}

  /** The user of the active graphical session, or null when nobody is signed in. */
  async activeUser(): Promise<DesktopUser | null> {
    const list = await this.runner.run('loginctl', ['list-sessions', '--no-legend', '--output=json'], {
      timeout: 10_000,
    });
    if (list.exitCode !== 0) throw new Error(`loginctl list-sessions failed with status ${list.exitCode}`);
    for (const id of parseSessionIds(list.stdout)) {
      const show = await this.runner.run(
        'loginctl',
        ['show-session', id, '-p', 'Name', '-p', 'User', '-p', 'Type', '-p', 'Display', '-p', 'Active', '-p', 'State'],
        { timeout: 10_000 },
      );
      if (show.exitCode !== 0) continue; // the session ended between the two calls
      const user = parseShowSession(id, show.stdout);
      if (user) return user;
    }
    return null;
  }
}

/**
 * Session ids from `loginctl list-sessions`: JSON on systemd ≥ 254, a table on older ones (which
 * ignore `--output=json`; `--no-legend` drops its header and footer).
 */
export function parseSessionIds(stdout: string): string[] {
  const text = stdout.trim();
  if (text.startsWith('[')) {
    const rows = JSON.parse(text) as Array<{ session?: unknown }>;
    return rows.map((r) => String(r.session ?? '')).filter((id) => SESSION_ID.test(id));
  }
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((id) => SESSION_ID.test(id));
}

/** An active graphical session from `show-session` output, or null. */
export function parseShowSession(id: string, stdout: string): DesktopUser | null {
  const props = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) props.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  const type = props.get('Type') ?? '';
  const name = props.get('Name') ?? '';
  const uid = Number(props.get('User'));
  if (props.get('Active') !== 'yes' || props.get('State') !== 'active' || !GRAPHICAL.has(type)) return null;
  if (!name || !Number.isInteger(uid) || uid <= 0) return null;
  return { name, uid, sessionId: id, type, display: props.get('Display') || null };
}
