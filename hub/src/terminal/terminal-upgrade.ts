import type { IncomingHttpHeaders } from 'node:http';
import { WEB_TERMINAL_PATH } from '@bascule/protocol';
import type { AuthService } from '../auth/auth.service.js';
import type { DepartmentScopeService } from '../auth/department-scope.service.js';
import { readCookie, SESSION_COOKIE } from '../auth/session.guard.js';
import type { Role } from '../auth/user.repository.js';
import type { TerminalUser } from './terminal.types.js';

const OPENING_ROLES: readonly Role[] = ['admin', 'helpdesk'];

export interface TerminalUpgradeParams {
  deviceRef: string;
  as: 'root' | 'user';
  cols: number;
  rows: number;
}

/** Whether a WebSocket upgrade to the browser terminal may proceed, decided before the handshake. */
export type TerminalUpgradeDecision =
  | { ok: true; user: TerminalUser; params: TerminalUpgradeParams }
  | { ok: false; status: 400 | 401 | 403 | 404; message: string; code?: string };

const refuse = (status: 400 | 401 | 403 | 404, message: string, code?: string): TerminalUpgradeDecision => ({
  ok: false,
  status,
  message,
  ...(code ? { code } : {}),
});

/**
 * Checks an upgrade request, cheapest first: the path, the Origin (a page on another site must not
 * use the helpdesk's cookie to open a shell: cross-site WebSocket hijacking, since browsers send
 * cookies with WebSocket handshakes and the same-origin policy does not apply to them), the query,
 * then the session cookie and the role. The Origin must be the hub itself, as the browser reached
 * it: `https://` + the Host header; a non-browser client must send a matching Origin too.
 */
export async function decideTerminalUpgrade(
  req: { url?: string; headers: IncomingHttpHeaders },
  auth: Pick<AuthService, 'authenticate'>,
  scope?: Pick<DepartmentScopeService, 'allowsDeviceRef'>,
): Promise<TerminalUpgradeDecision> {
  const url = new URL(req.url ?? '/', 'https://hub.invalid');
  const match = WEB_TERMINAL_PATH.exec(url.pathname);
  if (!match) return refuse(404, 'no WebSocket endpoint here');
  if (!isSameOrigin(req.headers.origin, req.headers.host)) {
    return refuse(
      403,
      'the terminal can only be opened from the hub’s own pages (Origin does not match)',
      'BAD_ORIGIN',
    );
  }
  const params = parseParams(safeDecode(match[1] ?? ''), url.searchParams);
  if (typeof params === 'string') return refuse(400, params);
  const signedIn = await auth.authenticate(readCookie(req.headers.cookie, SESSION_COOKIE));
  if (!signedIn) return refuse(401, 'sign in first');
  const { user } = signedIn;
  if (user.mustChangePassword) return refuse(403, 'change your one-time password first', 'PASSWORD_CHANGE_REQUIRED');
  if (user.totpEnrolmentRequired) {
    return refuse(403, 'enrol a TOTP second factor first (profile page)', 'TOTP_ENROLMENT_REQUIRED');
  }
  if (!OPENING_ROLES.includes(user.role)) {
    return refuse(403, `the ${user.role} role cannot open a terminal: this needs the role admin or helpdesk`);
  }
  if (scope && user.departments !== null && !(await scope.allowsDeviceRef(user, params.deviceRef))) {
    return refuse(404, `no device is named ${params.deviceRef}`);
  }
  return { ok: true, user: { id: user.id, username: user.username, role: user.role }, params };
}

/** `origin` is `https://` + `host`, ports and case normalised. */
export function isSameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin || !host) return false;
  try {
    const o = new URL(origin);
    const h = new URL(`https://${host}`);
    return o.protocol === 'https:' && o.host === h.host && o.username === '' && o.pathname === '/';
  } catch {
    // Not a URL: not our origin.
    return false;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    // A malformed escape: an empty reference, refused as missing.
    return '';
  }
}

function parseParams(deviceRef: string, q: URLSearchParams): TerminalUpgradeParams | string {
  if (deviceRef.length === 0 || deviceRef.length > 255) return 'the device id is missing or too long';
  const as = q.get('as') ?? 'root';
  if (as !== 'root' && as !== 'user') return 'as must be root or user';
  const size = (name: 'cols' | 'rows', fallback: number): number | string => {
    const raw = q.get(name);
    if (raw === null) return fallback;
    const n = Number(raw);
    return /^\d{1,4}$/.test(raw) && n >= 1 && n <= 1000 ? n : `${name} must be a whole number from 1 to 1000`;
  };
  const cols = size('cols', 80);
  if (typeof cols === 'string') return cols;
  const rows = size('rows', 24);
  if (typeof rows === 'string') return rows;
  return { deviceRef, as, cols, rows };
}
