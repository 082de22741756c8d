import type { TerminalEnd } from './terminal-socket.js';

type Translate = (key: string, options?: Record<string, unknown>) => string;

const OPEN_ERRORS = new Set([
  'forbidden',
  'unknown-device',
  'ambiguous-device',
  'device-offline',
  'no-answer',
  'too-many-sessions',
  'consent-refused',
  'no-desktop-user',
  'disabled',
  'refused',
  'internal',
]);

const CLOSE_CODES = new Set([
  'exit',
  'client-closed',
  'idle-timeout',
  'max-duration',
  'device-offline',
  'stream-broken',
  'hub-stopping',
  'agent-stopping',
  'protocol-error',
  'unknown-session',
]);

/** Why a browser terminal ended, in the UI's language (the hub sends stable codes beside English). */
export function terminalEndMessage(
  end: TerminalEnd,
  translate: Translate,
  formatDate: (iso: string) => string,
  hostname: string,
): string {
  switch (end.kind) {
    case 'error': {
      const details: Record<string, string> = { hostname, ...end.details };
      if (end.code === 'device-offline') {
        return details.lastSeenAt
          ? translate('bascule.terminal.errors.device-offline', { ...details, since: formatDate(details.lastSeenAt) })
          : translate('bascule.terminal.errors.device-offline-never', details);
      }
      const code = OPEN_ERRORS.has(end.code) ? end.code : 'refused';
      return translate(`bascule.terminal.errors.${code}`, { candidates: '', ...details });
    }
    case 'closed':
      return CLOSE_CODES.has(end.code)
        ? translate(`bascule.terminal.closed.${end.code}`)
        : translate('bascule.terminal.closed.other', { code: end.code });
    case 'lost':
      return translate(end.wasOpen ? 'bascule.terminal.errors.lost' : 'bascule.terminal.errors.lost_before_open');
  }
}

/**
 * A session's end as the list shows it. `reason` is a close code, `refused:<open error>`, or null
 * while the session runs; a code this UI does not know is shown as is.
 */
export function endReasonLabel(reason: string | null, translate: Translate): string {
  if (reason === null) return translate('bascule.terminal.reasons.active');
  if (reason.startsWith('refused:')) {
    const code = reason.slice('refused:'.length);
    return `${translate('bascule.terminal.reasons.refused')} (${code})`;
  }
  return CLOSE_CODES.has(reason) ? translate(`bascule.terminal.reasons.${reason}`) : reason;
}
