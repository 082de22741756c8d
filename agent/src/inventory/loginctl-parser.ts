import { parseKeyValue, UnreadableOutputError } from './key-value.js';

export interface LoginSession {
  id: string;
  name: string;
  /** `x11`, `wayland`, `tty`, `unspecified` (ssh). */
  type: string;
  remote: boolean;
  active: boolean;
  since?: string;
}

/**
 * `loginctl show-session ID… -p Id -p Name -p Type -p Remote -p Active -p Class -p Timestamp`:
 * one block of `Key=value` lines per session, blocks separated by a blank line. Only sessions of
 * users (Class=user) are kept: greeters and the lock screen are not people.
 */
export function parseLoginctlSessions(stdout: string): LoginSession[] {
  if (stdout.trim() !== '' && !/^Id=/m.test(stdout)) {
    throw new UnreadableOutputError('loginctl show-session', 'no Id= line', stdout);
  }
  const sessions: LoginSession[] = [];
  for (const block of stdout.split(/\n\s*\n/)) {
    const kv = parseKeyValue(block);
    const id = kv.get('Id');
    const name = kv.get('Name');
    if (!id || !name || (kv.get('Class') && kv.get('Class') !== 'user')) continue;
    const ts = kv.get('Timestamp');
    sessions.push({
      id,
      name,
      type: kv.get('Type') || 'unspecified',
      remote: kv.get('Remote') === 'yes',
      active: kv.get('Active') === 'yes',
      ...(ts && ts !== 'n/a' ? { since: ts } : {}),
    });
  }
  return sessions;
}

/** The session type a helpdesk cares about: the active local graphical session's, else any local one's. */
export function desktopSessionType(sessions: LoginSession[]): string | undefined {
  const local = sessions.filter((s) => !s.remote);
  const graphical = (s: LoginSession) => s.type === 'x11' || s.type === 'wayland' || s.type === 'mir';
  return (
    local.find((s) => s.active && graphical(s))?.type ??
    local.find(graphical)?.type ??
    local.find((s) => s.active)?.type
  );
}

/**
 * `who` lines (`alice    tty7         2026-11-25 08:01 (:0)`): the fallback when logind is absent.
 * Lines that do not fit are skipped; output with no line that fits throws.
 */
export function parseWho(stdout: string): LoginSession[] {
  const sessions: LoginSession[] = [];
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  for (const line of lines) {
    const m = /^(\S+)\s+(\S+)\s+(\d{4}-\d\d-\d\d \d\d:\d\d)(?:\s+\((.*)\))?\s*$/.exec(line);
    if (!m) continue;
    const host = m[4] ?? '';
    sessions.push({
      id: m[2] as string,
      name: m[1] as string,
      type: host.startsWith(':') ? 'x11' : 'tty',
      remote: host !== '' && !host.startsWith(':'),
      active: true,
      since: m[3] as string,
    });
  }
  if (lines.length > 0 && sessions.length === 0) throw new UnreadableOutputError('who', 'no session line', stdout);
  return sessions;
}
