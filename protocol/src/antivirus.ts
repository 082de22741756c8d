import { z } from 'zod';

/**
 * The `antivirus` module (ClamAV): what a policy sets, and the RPCs of the device page ("scan now",
 * restore from quarantine). Scans report through events (`events/antivirus-events.ts`); the engine and
 * signature versions through the inventory's `antivirus` section. See docs/modules.md.
 */

const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^\/[^\0]*$/, 'expected an absolute path such as /home')
  .refine((p) => !p.split('/').includes('..'), 'a path must not contain ..');

/** `HH:MM`, 24-hour clock, the desktop's local time. */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time such as 12:30 (24-hour clock)');

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * One scheduled scan: which paths, on which days, within which window. A window that ends before it
 * starts runs across midnight (`22:00`–`06:00`). A scan missed because the desktop was off or on battery
 * runs at the next opportunity within a window.
 */
export const antivirusScheduleSchema = z.object({
  paths: z.array(absolutePath).min(1).max(64),
  days: z
    .array(z.enum(WEEKDAYS))
    .min(1)
    .max(7)
    .default([...WEEKDAYS]),
  windowStart: clockTime.default('12:00'),
  windowEnd: clockTime.default('14:00'),
});
export type AntivirusSchedule = z.infer<typeof antivirusScheduleSchema>;

export const antivirusSettingsSchema = z.object({
  /** Signature updates by freshclam. */
  signatures: z
    .object({
      /** A private mirror (`PrivateMirror`) for networks without internet, e.g. `http://clamav.ville.fr`. */
      mirrorUrl: z
        .string()
        .max(1024)
        .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'expected an http:// or https:// URL')
        .optional(),
      /** freshclam's `Checks` per day. */
      checksPerDay: z.number().int().min(1).max(24).default(12),
    })
    .default({ checksPerDay: 12 }),
  /** Run clamd, so repeated scans do not load the signatures each time (about 1 GiB of memory with the full database). */
  daemon: z.boolean().default(false),
  schedules: z.array(antivirusScheduleSchema).max(8).default([]),
  /** Patterns (ClamAV's `--exclude` regular expressions) never scanned, e.g. `^/home/[^/]+/\\.cache/`. */
  exclusions: z.array(z.string().min(1).max(512)).max(64).default([]),
  /** Infected files: left in place and reported, or moved to the quarantine (restorable from the hub). */
  action: z.enum(['report', 'quarantine']).default('quarantine'),
  /** Laptops: scheduled scans wait while the machine runs on battery. On-demand scans always run. */
  onlyOnMainsPower: z.boolean().default(true),
  /** Scans run with `nice -n 19` and `ionice -c 3` (idle I/O class). */
  lowPriority: z.boolean().default(true),
  /** Scan the home directories before a VPN connection comes up (NetworkManager dispatcher, `vpn-pre-up`). */
  scanBeforeVpn: z.boolean().default(false),
  /** Files larger than this are skipped (ClamAV's `--max-filesize`). */
  maxFileSizeMiB: z.number().int().min(1).max(4096).default(100),
});
export type AntivirusSettings = z.infer<typeof antivirusSettingsSchema>;

/** `antivirus.scan`: start a scan now (the device page's button). Without `paths`, the schedule's paths, else `/home`. */
export const antivirusScanParamsSchema = z.object({
  paths: z.array(absolutePath).min(1).max(64).optional(),
  /** Who asked (hub account), recorded in the scan's events. */
  by: z.string().min(1).max(64),
});
export type AntivirusScanParams = z.infer<typeof antivirusScanParamsSchema>;
/** Answered when the scan has started; progress and the result come as events with this `scanId`. `busy` when a scan runs. */
export const antivirusScanResultSchema = z.object({ scanId: z.string().min(1).max(64) });
export type AntivirusScanResult = z.infer<typeof antivirusScanResultSchema>;

/** `antivirus.restore`: put a quarantined file back where it was, with its mode and owner. */
export const antivirusRestoreParamsSchema = z.object({
  quarantineId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/),
  by: z.string().min(1).max(64),
});
export type AntivirusRestoreParams = z.infer<typeof antivirusRestoreParamsSchema>;
export const antivirusRestoreResultSchema = z.object({ path: z.string().max(4096) });
export type AntivirusRestoreResult = z.infer<typeof antivirusRestoreResultSchema>;

/** What the module reports as `observed`: the engine, clamd, freshclam's mirror and the quarantine's content. */
export const antivirusObservedSchema = z.object({
  installed: z.boolean(),
  engineVersion: z.string().max(64).optional(),
  signatureVersion: z.string().max(64).optional(),
  signatureDate: z.iso.datetime({ offset: true }).optional(),
  daemonRunning: z.boolean(),
  mirrorUrl: z.string().max(1024).optional(),
  quarantine: z
    .array(
      z.object({
        id: z.string().max(64),
        path: z.string().max(4096),
        signature: z.string().max(512),
        quarantinedAt: z.iso.datetime({ offset: true }),
        sizeBytes: z.number().int().nonnegative(),
      }),
    )
    .max(1000),
});
export type AntivirusObserved = z.infer<typeof antivirusObservedSchema>;
