import { z } from 'zod';
import { agentUpdatePolicySchema, agentUpdateSettingsSchema } from './agent-update.js';
import { antivirusSettingsSchema } from './antivirus.js';
import { envelopeSchema } from './envelope.js';
import { remoteAppsSettingsSchema } from './remote-apps.js';
import { wwanFailoverSettingsSchema } from './wwan-failover.js';

/**
 * Desired-state configuration. The hub publishes each device's effective configuration, retained, on
 * its `config` topic; the agent applies every module and answers on `report`. See docs/protocol.md.
 */

/** Modules a policy can configure. Each has a settings schema below (more land with their issues). */
export const CONFIG_MODULES = [
  'ad-join',
  'printers',
  'antivirus',
  'wwan-failover',
  'packages',
  'remote-apps',
  'agent-update',
  'remote-shell',
] as const;
export type ConfigModuleName = (typeof CONFIG_MODULES)[number];

const name = (max: number) => z.string().min(1).max(max);

// ---- ad-join

/** DNS domain name, e.g. `corp.mairie.fr`. */
const domainName = z
  .string()
  .max(253)
  .regex(
    /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i,
    'expected a DNS domain such as corp.example.fr',
  );

/** What IT writes in an `ad-join` policy. */
export const adJoinPolicySchema = z.object({
  domain: domainName,
  /** Where computer objects are created, e.g. `OU=Postes,OU=Mairie,DC=corp,DC=example,DC=fr`. */
  ou: z.string().max(1024).optional(),
  /** Groups allowed to sign in (`realm permit -g`); empty: every domain user. */
  permitGroups: z.array(name(256)).max(64).default([]),
  /** sssd: `use_fully_qualified_names`. */
  fullyQualifiedNames: z.boolean().default(false),
  /** sssd: `fallback_homedir`. */
  homeDirTemplate: z.string().min(1).max(256).default('/home/%u'),
  /** Create the home directory at first sign-in (pam_mkhomedir). */
  mkhomedir: z.boolean().default(true),
});
export type AdJoinPolicy = z.infer<typeof adJoinPolicySchema>;

/**
 * What a device receives: the policy plus its own one-time password, set by the hub with
 * `adcli preset-computer` (never a domain administrator's password). Absent once the device joined.
 */
export const adJoinSettingsSchema = adJoinPolicySchema.extend({
  computerName: z.string().regex(/^[A-Za-z0-9-]{1,15}$/, 'NetBIOS computer name: 1 to 15 letters, digits or -'),
  oneTimePassword: z.string().min(8).max(256).optional(),
});
export type AdJoinSettings = z.infer<typeof adJoinSettingsSchema>;

// ---- printers

export const printerDriverSchema = z.discriminatedUnion('kind', [
  /** Driverless IPP Everywhere (`lpadmin -m everywhere`); the module verifies a real driver was made. */
  z.object({ kind: z.literal('everywhere') }),
  /** A PPD installed on the desktop (`lpinfo -m` name), e.g. a Kyocera model from the vendor package. */
  z.object({ kind: z.literal('ppd'), model: name(512) }),
  /** No driver: the printer takes the job as sent. */
  z.object({ kind: z.literal('raw') }),
]);

export const printerSchema = z.object({
  /** CUPS queue name. */
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,127}$/, 'queue name: letters, digits, _ . - (no spaces)'),
  uri: z
    .string()
    .max(1024)
    .regex(/^(ipp|ipps|http|https|socket|lpd):\/\/[^\s]+$/, 'expected an ipp://, ipps://, socket:// or lpd:// URI'),
  driver: printerDriverSchema,
  description: z.string().max(256).optional(),
  location: z.string().max(256).optional(),
  options: z
    .object({
      duplex: z.enum(['one-sided', 'two-sided-long-edge', 'two-sided-short-edge']).optional(),
      color: z.boolean().optional(),
      paperSize: z.enum(['A4', 'A3', 'A5', 'Letter', 'Legal']).optional(),
    })
    .default({}),
});
export type PrinterSettings = z.infer<typeof printerSchema>;

export const printersSettingsSchema = z
  .object({
    printers: z.array(printerSchema).max(100),
    /** Queue name of the default printer; must be one of `printers`. */
    default: z.string().optional(),
  })
  .refine((p) => p.default === undefined || p.printers.some((q) => q.name === p.default), {
    message: 'the default printer must be one of the printers',
    path: ['default'],
  })
  .refine((p) => new Set(p.printers.map((q) => q.name)).size === p.printers.length, {
    message: 'two printers have the same queue name',
    path: ['printers'],
  });
export type PrintersSettings = z.infer<typeof printersSettingsSchema>;

// ---- remote-shell

/** When the person at the desktop must accept a remote terminal: never, only if someone is signed in, always. */
export const REMOTE_SHELL_CONSENT_MODES = ['never', 'when-signed-in', 'always'] as const;

/**
 * The remote shell on the desktops a policy targets. It overrides the agent's own settings
 * (`terminalEnabled`, `terminalConsent`, `terminalConsentTimeoutSeconds` in agent.conf or flags).
 */
export const remoteShellSettingsSchema = z.object({
  /** false: every session is refused with `disabled`. */
  enabled: z.boolean().default(true),
  /** Ask the desktop user (accept/refuse dialog) before a session opens. */
  consent: z.enum(REMOTE_SHELL_CONSENT_MODES).default('never'),
  /** How long the dialog waits before it counts as a refusal. */
  consentTimeoutSeconds: z.number().int().min(10).max(600).default(30),
});
export type RemoteShellSettings = z.infer<typeof remoteShellSettingsSchema>;

/**
 * Settings schemas by module, as a device receives them. Modules without a schema yet are refused by
 * the hub's policy validation until their issue lands.
 */
export const moduleSettingsSchemas = {
  'ad-join': adJoinSettingsSchema,
  printers: printersSettingsSchema,
  'remote-shell': remoteShellSettingsSchema,
  antivirus: antivirusSettingsSchema,
  'agent-update': agentUpdateSettingsSchema,
  'wwan-failover': wwanFailoverSettingsSchema,
  'remote-apps': remoteAppsSettingsSchema,
} as const satisfies Partial<Record<ConfigModuleName, z.ZodType>>;

/** Policy documents by module, as IT writes them (for `ad-join` the one-time password is the hub's). */
export const modulePolicySchemas = {
  'ad-join': adJoinPolicySchema,
  printers: printersSettingsSchema,
  'remote-shell': remoteShellSettingsSchema,
  antivirus: antivirusSettingsSchema,
  'agent-update': agentUpdatePolicySchema,
  'wwan-failover': wwanFailoverSettingsSchema,
  'remote-apps': remoteAppsSettingsSchema,
} as const satisfies Partial<Record<ConfigModuleName, z.ZodType>>;

// ---- messages

/** One module in a device's effective configuration. */
export const configModuleSchema = z.object({
  /** The policy this comes from and its revision, echoed in the report. */
  policyId: z.string().min(1).max(64),
  policyRevision: z.number().int().positive(),
  settings: z.unknown(),
});

/**
 * `config` (hub → agent, QoS 1, retained): the whole effective configuration of one device.
 * `revision` grows by one each time anything in it changes; the agent ignores a lower one.
 * A module absent from `modules` is not managed: the agent undoes only what it had itself put in place.
 */
export const configMessageSchema = envelopeSchema.extend({
  revision: z.number().int().nonnegative(),
  modules: z.partialRecord(z.enum(CONFIG_MODULES), configModuleSchema),
  /** Agent settings the hub manages (heartbeat, consent for the remote shell…). */
  agent: z
    .object({
      heartbeatSeconds: z.number().int().min(10).max(86_400).optional(),
      terminalConsent: z.enum(['never', 'when-signed-in', 'always']).optional(),
      /**
       * Metered mode set on the hub for this device: `on` / `off` force it; `auto` or absent leave it to
       * the agent (its `--metered` setting, by default detection of a mobile modem on the default route).
       */
      metered: z.enum(['auto', 'on', 'off']).optional(),
    })
    .default({}),
});
export type ConfigMessage = z.infer<typeof configMessageSchema>;

/** One step of a module's plan, as a person reads it ("create queue Accueil-Kyocera"). */
export const planStepSchema = z.object({
  description: z.string().max(500),
  /** done, failed, or skipped because an earlier step failed. */
  outcome: z.enum(['done', 'failed', 'skipped', 'planned']),
  error: z.string().max(2000).optional(),
});

export const moduleReportSchema = z.object({
  policyId: z.string().max(64),
  policyRevision: z.number().int().positive(),
  /**
   * applied: the machine matches; failed: could not get there (`error` says why, `steps` what was
   * done); drift: the machine had moved away from the desired state (it is then re-applied);
   * invalid: the settings were refused by the agent's own checks.
   */
  status: z.enum(['applied', 'failed', 'drift', 'invalid']),
  error: z.string().max(2000).optional(),
  steps: z.array(planStepSchema).max(200).default([]),
  /** What the module saw on the machine (joined domain, queues…), module-specific. */
  observed: z.unknown().optional(),
  at: z.iso.datetime({ offset: true }),
});
export type ModuleReport = z.infer<typeof moduleReportSchema>;

/** `report` (agent → hub, QoS 1, through the outbox): the outcome of applying one config revision. */
export const reportMessageSchema = envelopeSchema.extend({
  revision: z.number().int().nonnegative(),
  /** The whole config was refused (bad JSON, schema): the last good one is kept. */
  refused: z.string().max(2000).optional(),
  modules: z.partialRecord(z.enum(CONFIG_MODULES), moduleReportSchema),
});
export type ReportMessage = z.infer<typeof reportMessageSchema>;
