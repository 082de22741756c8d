import { z } from 'zod';

/**
 * The `wwan-failover` module (4G backup link through NetworkManager and ModemManager): what a policy
 * sets, what the module reports, and the RPCs of the device page (list the operators the modem sees,
 * register on one). Failover and failback are events (`events/wwan-events.ts`). See docs/modules.md.
 *
 * Operator choice stays manual (in France a desktop may not switch mobile operators by itself): the
 * profile is pinned to one operator (`gsm.network-id`, `gsm.home-only`), and only a person changes it.
 */

/** MCC + MNC, e.g. `20801` (Orange France), `20810` (SFR), `20820` (Bouygues), `20815` (Free). */
export const mccMncSchema = z.string().regex(/^\d{5,6}$/, 'expected the operator code MCC+MNC, e.g. 20801');

/** The 15-digit IMEI that `mmcli -m N` shows as `equipment id`. */
export const imeiSchema = z.string().regex(/^\d{14,16}$/, 'expected the modem IMEI (15 digits)');

/** The value the hub's API shows instead of a stored SIM PIN (write-only); sending it back keeps the stored PIN. */
export const WWAN_SECRET_PLACEHOLDER = '[secret]';

export const WWAN_MODES = ['passive', 'on-demand'] as const;

/** What IT writes in a `wwan-failover` policy and what a device receives (the same document). */
export const wwanFailoverSettingsSchema = z
  .object({
    /** Which modem: the first one ModemManager lists, or the one with this IMEI (absent: "no modem", nothing changed). */
    modem: z
      .discriminatedUnion('select', [
        z.object({ select: z.literal('first') }),
        z.object({ select: z.literal('imei'), imei: imeiSchema }),
      ])
      .default({ select: 'first' }),
    /** The operator's access point name, e.g. `orange.fr`, `sl2sfr`, `mmsbouygtel.com`. */
    apn: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9.-]+$/, 'expected an APN such as orange.fr'),
    username: z.string().min(1).max(100).optional(),
    /** The APN's password, when the operator sets one. Never returned by the API nor shown in a report. */
    password: z.string().min(1).max(100).optional(),
    /** The SIM's PIN: write-only (the API shows `[secret]`), never logged; at most one attempt per PIN and SIM. */
    simPin: z
      .string()
      .regex(/^\d{4,8}$/, 'a SIM PIN is 4 to 8 digits')
      .optional(),
    /** The operator the profile is pinned to (`gsm.network-id`); with `homeOnly`, never roams (`gsm.home-only`). */
    operator: mccMncSchema,
    homeOnly: z.boolean().default(true),
    /**
     * `passive`: the 4G link stays up; its higher route metric keeps it idle until NetworkManager's
     * connectivity check demotes a primary that lost the internet. `on-demand`: the 4G link comes up only
     * after `downAfterSeconds` without connectivity on the primary, and goes down once the primary has been
     * back for `upAfterSeconds` (data costs).
     */
    mode: z.enum(WWAN_MODES).default('passive'),
    downAfterSeconds: z.number().int().min(1).max(3600).default(10),
    upAfterSeconds: z.number().int().min(1).max(86_400).default(60),
    /**
     * The route metric of the 4G link (IPv4 and IPv6); it must be above the primary's (NetworkManager:
     * Ethernet 100, Wi-Fi 600), so the 4G link only carries traffic when the primary is down.
     */
    routeMetric: z.number().int().min(101).max(65_535).default(700),
    /** The data plan: cap in MiB per month (0: no cap), and the day of the month the count starts again. */
    monthlyCapMiB: z.number().int().min(0).max(10_485_760).default(0),
    monthStartDay: z.number().int().min(1).max(28).default(1),
  })
  .refine((s) => s.password === undefined || s.username !== undefined, {
    message: 'a password needs a username',
    path: ['password'],
  });
export type WwanFailoverSettings = z.infer<typeof wwanFailoverSettingsSchema>;

/** Top-level fields of the document that are secrets: the API shows `[secret]`, the engine `[secret]` too. */
export const WWAN_FAILOVER_SECRET_FIELDS = ['simPin', 'password'] as const;

/** Which link carries the IPv4 default route: the primary, the 4G link, none. */
export const WWAN_ROUTES = ['primary', 'wwan', 'none'] as const;

/** What the module reports as `observed` (no secret in it). */
export const wwanFailoverObservedSchema = z.object({
  /** null: no modem (or not the one the policy names). */
  modem: z
    .object({
      id: z.string().max(16),
      manufacturer: z.string().max(256).optional(),
      model: z.string().max(256).optional(),
      imei: z.string().max(32).optional(),
      state: z.string().max(64).optional(),
      operator: z.string().max(256).optional(),
      operatorCode: z.string().max(16).optional(),
      registration: z.string().max(64).optional(),
      signalPercent: z.number().int().min(0).max(100).optional(),
      accessTech: z.array(z.string().max(32)).max(16),
      /** `sim-pin`, `sim-puk`…, or absent when the SIM is unlocked. */
      unlockRequired: z.string().max(32).optional(),
      pinRetries: z.number().int().nonnegative().optional(),
    })
    .nullable(),
  profile: z.object({ exists: z.boolean(), active: z.boolean(), autoconnect: z.boolean().optional() }),
  defaultRoute: z.object({ via: z.enum(WWAN_ROUTES), interface: z.string().max(64).optional() }),
  dataUse: z.object({
    /** Bytes received and sent on the 4G interface since `since` (accumulated across reboots and counter resets). */
    bytes: z.number().int().nonnegative(),
    since: z.iso.date(),
    capMiB: z.number().int().nonnegative(),
    /** 0 when there is no cap. */
    percentOfCap: z.number().nonnegative(),
  }),
  /** A PIN the SIM refused: not tried again until the policy gives another one. */
  pinRefused: z.boolean(),
});
export type WwanFailoverObserved = z.infer<typeof wwanFailoverObservedSchema>;

/** `wwan.operators.scan`: what the modem sees (`mmcli -m N --3gpp-scan`, up to two minutes). */
export const wwanOperatorsScanParamsSchema = z.object({ by: z.string().min(1).max(64) });
export type WwanOperatorsScanParams = z.infer<typeof wwanOperatorsScanParamsSchema>;

export const wwanOperatorSchema = z.object({
  name: z.string().max(256),
  code: z.string().max(16),
  /** ModemManager's words: `available`, `current`, `forbidden`, `unknown`. */
  availability: z.string().max(32),
  accessTech: z.array(z.string().max(32)).max(16),
});
export type WwanOperator = z.infer<typeof wwanOperatorSchema>;
export const wwanOperatorsScanResultSchema = z.object({
  modem: z.string().max(16),
  operators: z.array(wwanOperatorSchema).max(64),
});
export type WwanOperatorsScanResult = z.infer<typeof wwanOperatorsScanResultSchema>;

/** `wwan.operators.register`: register on this operator and pin the profile to it (a person's choice, audited). */
export const wwanOperatorsRegisterParamsSchema = z.object({ operator: mccMncSchema, by: z.string().min(1).max(64) });
export type WwanOperatorsRegisterParams = z.infer<typeof wwanOperatorsRegisterParamsSchema>;
export const wwanOperatorsRegisterResultSchema = z.object({
  modem: z.string().max(16),
  operator: z.string().max(16),
  /** The NetworkManager profile was pinned to it too (`gsm.network-id`); false when there is no profile yet. */
  profilePinned: z.boolean(),
});
export type WwanOperatorsRegisterResult = z.infer<typeof wwanOperatorsRegisterResultSchema>;
