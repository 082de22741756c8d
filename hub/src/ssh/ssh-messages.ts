import type { TerminalClose } from '@bascule/protocol';
import type { TerminalOpenError } from '../terminal/terminal.types.js';
import type { SshUsernameError } from './ssh-username.js';

/** French by default (the helpdesk of a French local authority); English when the client's locale says so. */
export type SshLang = 'fr' | 'en';

/**
 * The language of the client's messages, from the environment OpenSSH sends (`SendEnv LANG LC_*` in
 * Debian's default ssh_config), in POSIX precedence: LC_ALL, LC_MESSAGES, LANG.
 */
export function sshLang(env: ReadonlyMap<string, string>): SshLang {
  const locale = env.get('LC_ALL') || env.get('LC_MESSAGES') || env.get('LANG') || '';
  return /^en([_.@-]|$)/i.test(locale) ? 'en' : 'fr';
}

function when(iso: string | undefined, lang: SshLang): string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' }).format(
    date,
  );
}

/** One line explaining why the session could not be opened. */
export function openErrorMessage(err: TerminalOpenError, lang: SshLang, as: 'root' | 'user' = 'root'): string {
  const d = err.details;
  const host = d.hostname ?? d.device ?? '';
  const fr = lang === 'fr';
  switch (err.code) {
    case 'forbidden':
      return fr
        ? `votre rôle (${d.role ?? '?'}) ne permet pas d'ouvrir un terminal : il faut le rôle helpdesk ou admin`
        : `your role (${d.role ?? '?'}) cannot open a terminal: the helpdesk or admin role is needed`;
    case 'unknown-device':
      return fr
        ? `aucun poste ne s'appelle « ${d.device ?? ''} » : donnez son nom d'hôte ou son identifiant`
        : `no device is named "${d.device ?? ''}": give its hostname or its id`;
    case 'ambiguous-device':
      return fr
        ? `plusieurs postes s'appellent « ${d.device ?? ''} » ; précisez l'identifiant : ${d.candidates ?? ''}`
        : `several devices are named "${d.device ?? ''}"; use the id: ${d.candidates ?? ''}`;
    case 'device-offline': {
      const since = when(d.lastSeenAt, lang);
      if (fr) return since ? `${host} est hors ligne depuis le ${since}` : `${host} est hors ligne`;
      return since ? `${host} is offline since ${since}` : `${host} is offline`;
    }
    case 'no-answer':
      return fr ? `${host} ne répond pas ; réessayez dans un instant` : `${host} does not answer; try again shortly`;
    case 'too-many-sessions':
      return fr
        ? `trop de sessions ouvertes sur ${host} ; fermez-en une et réessayez`
        : `too many sessions open on ${host}; close one and try again`;
    case 'consent-refused':
      // Also when consent is required and nobody is signed in to give it.
      return fr
        ? `la session n'a pas été acceptée sur ${host} (consentement requis : refusé, sans réponse, ou personne n'est connecté)`
        : `the session was not accepted on ${host} (consent required: refused, no answer, or nobody signed in)`;
    case 'no-desktop-user':
      // For a root session, the agent needed someone to ask for consent.
      if (as === 'root') {
        return fr
          ? `impossible de demander le consentement sur ${host} : personne n'y est connecté (ou la session n'a pu être déterminée)`
          : `cannot ask for consent on ${host}: nobody is signed in (or the desktop session could not be determined)`;
      }
      return fr
        ? `personne n'est connecté sur ${host} : sans « +user », la session s'ouvre en root`
        : `nobody is signed in on ${host}: without "+user" the session opens as root`;
    case 'disabled':
      return fr ? `le terminal à distance est désactivé sur ${host}` : `the remote terminal is disabled on ${host}`;
    default:
      return fr ? `${host || 'le poste'} a refusé la session : ${err.message}` : `refused: ${err.message}`;
  }
}

export function usernameErrorMessage(error: SshUsernameError, username: string, lang: SshLang): string {
  const example = `ssh -p 2222 ${username}+pc-compta-12@…`;
  const fr = lang === 'fr';
  switch (error) {
    case 'no-device':
      return fr
        ? `indiquez le poste dans le nom d'utilisateur : ${example} (nom d'hôte ou identifiant)`
        : `name the device in the user name: ${example} (hostname or id)`;
    case 'bad-device':
      return fr
        ? `nom de poste invalide : lettres, chiffres, points, tirets (${example})`
        : `invalid device name: letters, digits, dots, dashes (${example})`;
    case 'bad-run-as':
      return fr
        ? `après le poste, seul « +user » (session de l'utilisateur connecté) ou « +root » est possible`
        : `after the device, only "+user" (the signed-in desktop user) or "+root" is possible`;
  }
}

/** Why a running session ended, when it did not simply exit. */
export function closeMessage(close: TerminalClose, lang: SshLang): string {
  const fr = lang === 'fr';
  switch (close.code) {
    case 'idle-timeout':
      return fr ? 'session fermée après une trop longue inactivité' : 'session closed after being idle too long';
    case 'max-duration':
      return fr ? 'session fermée : durée maximale atteinte' : 'session closed: maximum duration reached';
    case 'device-offline':
    case 'agent-stopping':
      return fr ? 'le poste s\u2019est déconnecté ; session terminée' : 'the device went offline; session ended';
    case 'hub-stopping':
      return fr ? 'le hub redémarre ; session terminée' : 'the hub is restarting; session ended';
    default:
      return fr
        ? `session terminée (${close.code}) : ${close.message}`
        : `session ended (${close.code}): ${close.message}`;
  }
}

export function otherChannelMessage(lang: SshLang): string {
  return lang === 'fr' ? 'une seule session à la fois par connexion' : 'one session at a time per connection';
}
