import { DEFAULT_OUTBOX_BOUNDS } from '../outbox/outbox.js';
import { FieldReader } from '../validation/field-reader.js';

export const DEFAULT_STATE_DIR = '/var/lib/bascule-agent';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** When the desktop user must accept a remote terminal: never, only if someone is signed in, always. */
export const TERMINAL_CONSENT_MODES = ['never', 'when-signed-in', 'always'] as const;
export type TerminalConsentMode = (typeof TERMINAL_CONSENT_MODES)[number];

/** The daemon's settings. */
export interface AgentSettings {
  stateDir: string;
  /** 1 to 86,400; default 60. */
  heartbeatSeconds: number;
  /** A full inventory this often (and at start, on SIGHUP and on the hub's `inventory.refresh`); default 24. */
  fullInventoryHours: number;
  /**
   * Between full inventories, collect the volatile sections (network, users) this often and send
   * them if changed; default 60. Packages and the network are also sent soon after they change.
   */
  deltaInventoryMinutes: number;
  /** A delta inventory this long after the last change of the installed packages (1 to 3,600); default 60. */
  packageChangeDelaySeconds: number;
  /** At least 10. */
  outboxMaxMessages: number;
  /** At least 64 KiB. */
  outboxMaxBytes: number;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Remote terminal sessions allowed on this desktop; default true (false answers `disabled`). */
  terminalEnabled: boolean;
  /** Ask the desktop user before a remote terminal opens; default `never` (a remote-shell policy overrides it). */
  terminalConsent: TerminalConsentMode;
  /** Seconds the consent dialog waits before it counts as a refusal (10 to 600); default 30. */
  terminalConsentTimeoutSeconds: number;
  /** Terminal sessions open at once (1 to 32); one more is answered `busy`. Default 4. */
  terminalMaxSessions: number;
  /** Re-apply the configuration this often to find and correct drift; default 30. */
  configApplyMinutes: number;
  /** host:port of the CUPS server the printers module manages; '' (default): CUPS_SERVER or the local one. */
  cupsServer: string;
  /**
   * A command every OS command of the daemon (and so of its apply and inventory children) runs through,
   * e.g. `nsenter -t PID -m -n` for a test rig's NetworkManager in a namespace; '' (default): none.
   */
  commandPrefix: string;
  /** The NetworkManager profile the 4G watcher brings up and down; '' (default): the module's `bascule-4g`. */
  wwanProfile: string;
}

/**
 * Checks settings and fills in the defaults for absent (undefined) fields. Hand-written rather than
 * a zod schema because the daemon must not load zod. Throws a FieldError naming every bad field.
 */
export function parseAgentSettings(input: Partial<Record<keyof AgentSettings, unknown>>): AgentSettings {
  const r = new FieldReader(input);
  const settings: AgentSettings = {
    stateDir: r.string('stateDir', { minLength: 1, default: DEFAULT_STATE_DIR }),
    heartbeatSeconds: r.number('heartbeatSeconds', { integer: true, min: 1, max: 86_400, default: 60 }),
    fullInventoryHours: r.number('fullInventoryHours', { positive: true, default: 24 }),
    deltaInventoryMinutes: r.number('deltaInventoryMinutes', { positive: true, default: 60 }),
    packageChangeDelaySeconds: r.number('packageChangeDelaySeconds', { integer: true, min: 1, max: 3600, default: 60 }),
    outboxMaxMessages: r.number('outboxMaxMessages', {
      integer: true,
      min: 10,
      default: DEFAULT_OUTBOX_BOUNDS.maxMessages,
    }),
    outboxMaxBytes: r.number('outboxMaxBytes', {
      integer: true,
      min: 64 * 1024,
      default: DEFAULT_OUTBOX_BOUNDS.maxBytes,
    }),
    logLevel: r.oneOf('logLevel', LOG_LEVELS, 'info'),
    terminalEnabled: r.boolean('terminalEnabled', { default: true }),
    terminalConsent: r.oneOf('terminalConsent', TERMINAL_CONSENT_MODES, 'never'),
    terminalConsentTimeoutSeconds: r.number('terminalConsentTimeoutSeconds', {
      integer: true,
      min: 10,
      max: 600,
      default: 30,
    }),
    terminalMaxSessions: r.number('terminalMaxSessions', { integer: true, min: 1, max: 32, default: 4 }),
    configApplyMinutes: r.number('configApplyMinutes', { positive: true, default: 30 }),
    cupsServer: r.string('cupsServer', {
      default: '',
      pattern: /^$|^[A-Za-z0-9.[\]:_-]+$/,
      patternMessage: 'expected host:port',
    }),
    commandPrefix: r.string('commandPrefix', {
      default: '',
      pattern: /^$|^\/?[A-Za-z0-9._/-]+( [A-Za-z0-9._/=:-]+)*$/,
      patternMessage: 'expected a command and its arguments separated by single spaces',
    }),
    wwanProfile: r.string('wwanProfile', { default: '' }),
  };
  r.done();
  return settings;
}
