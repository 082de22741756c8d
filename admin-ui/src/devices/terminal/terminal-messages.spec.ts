import { describe, expect, it } from 'vitest';
import { fr } from '../../i18n/fr.js';
import { endReasonLabel, terminalEndMessage } from './terminal-messages.js';

/** Polyglot's interpolation, enough for these messages; unknown keys come back as is. */
function translate(key: string, options: Record<string, unknown> = {}): string {
  const message = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], fr);
  if (typeof message !== 'string') return key;
  return message.replace(/%\{(\w+)\}/g, (_m, name: string) => String(options[name] ?? ''));
}
const date = (iso: string) => `le-${iso.slice(0, 10)}`;

describe('browser terminal messages', () => {
  it('says each refusal in French, with the hostname and when an offline device was last seen', () => {
    const error = (code: string, details: Record<string, string> = {}) =>
      terminalEndMessage({ kind: 'error', code, message: 'english', details }, translate, date, 'pc-compta-12');
    expect(error('device-offline', { lastSeenAt: '2026-11-24T08:00:00Z' })).toBe(
      'pc-compta-12 est hors ligne depuis le le-2026-11-24.',
    );
    expect(error('device-offline', { lastSeenAt: '' })).toBe('pc-compta-12 est hors ligne.');
    expect(error('consent-refused', { hostname: 'pc-rh-03' })).toBe(
      'L’utilisateur de pc-rh-03 a refusé la session, ou n’a pas répondu à temps.',
    );
    expect(error('no-desktop-user')).toBe(
      'Personne n’est connecté sur pc-compta-12\u00a0: ouvrez plutôt le terminal en root.',
    );
    expect(error('ambiguous-device', { candidates: 'A, B' })).toBe('Plusieurs postes portent ce nom\u00a0: A, B.');
    expect(error('something-new')).toBe('pc-compta-12 a refusé d’ouvrir la session.');
  });

  it('says how a session ended, and a socket lost before or after opening', () => {
    expect(terminalEndMessage({ kind: 'closed', code: 'idle-timeout', message: '' }, translate, date, 'h')).toBe(
      'La session a été fermée après une trop longue inactivité.',
    );
    expect(terminalEndMessage({ kind: 'closed', code: 'odd', message: '' }, translate, date, 'h')).toBe(
      'La session est terminée (odd).',
    );
    expect(terminalEndMessage({ kind: 'lost', wasOpen: false, closeCode: 1006 }, translate, date, 'h')).toMatch(
      /^Le hub a refusé la connexion/,
    );
    expect(terminalEndMessage({ kind: 'lost', wasOpen: true, closeCode: 1006 }, translate, date, 'h')).toMatch(
      /^La connexion au hub a été coupée/,
    );
  });

  it('labels the end of a session in the list', () => {
    expect(endReasonLabel(null, translate)).toBe('En cours');
    expect(endReasonLabel('exit', translate)).toBe('Fin du shell');
    expect(endReasonLabel('refused:consent-refused', translate)).toBe('Refusée (consent-refused)');
    expect(endReasonLabel('future-code', translate)).toBe('future-code');
  });
});
