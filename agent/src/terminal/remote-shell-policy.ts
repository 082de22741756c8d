import { TERMINAL_CONSENT_MODES, type TerminalConsentMode } from '../settings/agent-settings.js';
import { FieldReader } from '../validation/field-reader.js';

/**
 * Where `apply` leaves the hub's `remote-shell` policy for the daemon, in the state directory. The
 * daemon reads it at each session request, so a policy change applies to the next session.
 */
export const REMOTE_SHELL_POLICY_FILE = 'config/remote-shell.json';

/** The remote-shell policy's settings, as the daemon reads them (`remoteShellSettingsSchema` in protocol/). */
export interface RemoteShellPolicy {
  enabled: boolean;
  consent: TerminalConsentMode;
  consentTimeoutSeconds: number;
}

/** The file's content for these settings: one text for one meaning, so `apply` can compare it. */
export function formatRemoteShellPolicy(p: RemoteShellPolicy): string {
  const { enabled, consent, consentTimeoutSeconds } = p;
  return `${JSON.stringify({ enabled, consent, consentTimeoutSeconds }, null, 2)}\n`;
}

/**
 * The file checked by hand (the daemon does not load zod), with the schema's rules and defaults.
 * Throws a FieldError naming each bad field, or a SyntaxError for text that is not JSON.
 */
export function parseRemoteShellPolicy(text: string): RemoteShellPolicy {
  const r = new FieldReader(JSON.parse(text));
  const policy: RemoteShellPolicy = {
    enabled: r.boolean('enabled', { default: true }),
    consent: r.oneOf('consent', TERMINAL_CONSENT_MODES, 'never'),
    consentTimeoutSeconds: r.number('consentTimeoutSeconds', { integer: true, min: 10, max: 600, default: 30 }),
  };
  r.done();
  return policy;
}
