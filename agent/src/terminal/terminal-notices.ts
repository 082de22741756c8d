import type { TerminalOpenParams } from '@bascule/protocol';

/**
 * What the person at the desktop reads (French: the desktops are French). zenity and most notification
 * daemons read Pango markup, so names coming from the hub are escaped.
 */
export const terminalNotices = {
  openedSummary: 'Terminal à distance ouvert',
  opened: (username: string) => `Le service informatique (${markup(username)}) a ouvert un terminal sur ce poste.`,
  closedSummary: 'Terminal à distance fermé',
  closed: (username: string) => `Le service informatique (${markup(username)}) a fermé le terminal sur ce poste.`,
  consentTitle: "Demande d'accès à distance",
  consent: (params: Pick<TerminalOpenParams, 'requester' | 'as'>, timeoutSeconds: number) =>
    `Le service informatique (${markup(params.requester.username)}) demande à ouvrir un terminal sur ce poste ` +
    `${params.requester.via === 'ssh' ? 'par SSH' : 'depuis son navigateur'}, ` +
    `${params.as === 'root' ? "avec les droits d'administrateur" : 'avec votre compte'}.\n\n` +
    `Acceptez-vous ? Sans réponse dans ${timeoutSeconds} secondes, la demande sera refusée.`,
};

function markup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
