import { z } from 'zod';

/**
 * Events of the `antivirus` module (docs/modules.md): scans and what they found, quarantine and restore.
 * Paths are the desktop's own, at most 4096 bytes; lists are bounded so that one message stays small.
 */

const path = z.string().min(1).max(4096);
const scanId = z.string().min(1).max(64);
const trigger = z.enum(['scheduled', 'on-demand', 'before-vpn']);
const isoTime = z.iso.datetime({ offset: true });

/** One infected file as ClamAV names it, and what the agent did with it. */
export const antivirusDetectionSchema = z.object({
  path,
  /** ClamAV's signature name, e.g. `Win.Test.EICAR_HDB-1`. */
  signature: z.string().min(1).max(512),
  /** `reported`: left in place (report-only policy); `quarantined`: moved, restorable from the hub; `quarantine-failed`: could not be moved (see `error`). */
  action: z.enum(['reported', 'quarantined', 'quarantine-failed']),
  /** The quarantine record's id, when quarantined. */
  quarantineId: z.string().min(1).max(64).optional(),
  error: z.string().max(2000).optional(),
});
export type AntivirusDetection = z.infer<typeof antivirusDetectionSchema>;

export const antivirusScanStartedEventSchema = z.object({
  type: z.literal('antivirus.scan.started'),
  ts: isoTime,
  data: z.object({ scanId, trigger, paths: z.array(path).min(1).max(64) }),
});

/** Sent every few seconds during a scan: files looked at so far (from ClamAV's output), out of about `filesTotal`. */
export const antivirusScanProgressEventSchema = z.object({
  type: z.literal('antivirus.scan.progress'),
  ts: isoTime,
  data: z.object({
    scanId,
    filesScanned: z.number().int().nonnegative(),
    filesTotal: z.number().int().nonnegative().optional(),
  }),
});

/**
 * The end of a scan. `result`: `clean` (exit 0), `infected` (exit 1), `error` (exit 2, a path that does not
 * exist, a database ClamAV cannot load, a timeout): an error is never reported as clean, even when no file
 * was found infected.
 */
export const antivirusScanFinishedEventSchema = z.object({
  type: z.literal('antivirus.scan.finished'),
  ts: isoTime,
  data: z.object({
    scanId,
    trigger,
    result: z.enum(['clean', 'infected', 'error']),
    startedAt: isoTime,
    durationMs: z.number().int().nonnegative(),
    /** `clamdscan` (through the clamd daemon) or `clamscan`. */
    engine: z.enum(['clamscan', 'clamdscan']),
    paths: z.array(path).max(64),
    filesScanned: z.number().int().nonnegative().optional(),
    detections: z.array(antivirusDetectionSchema).max(1000),
    /** More detections than the list holds. */
    detectionsTruncated: z.boolean().optional(),
    /** What went wrong, one line per problem (ClamAV's own words), when `result` is `error` or some paths failed. */
    errors: z.array(z.string().max(2000)).max(64),
    exitCode: z.number().int().nullable(),
    signatureVersion: z.string().max(64).optional(),
  }),
});

/** A quarantined file was put back where it was (restore from the hub), with its mode and owner. */
export const antivirusRestoredEventSchema = z.object({
  type: z.literal('antivirus.quarantine.restored'),
  ts: isoTime,
  data: z.object({
    quarantineId: z.string().min(1).max(64),
    path,
    signature: z.string().max(512),
    by: z.string().max(64),
  }),
});

export const antivirusEventSchemas = [
  antivirusScanStartedEventSchema,
  antivirusScanProgressEventSchema,
  antivirusScanFinishedEventSchema,
  antivirusRestoredEventSchema,
] as const;

export type AntivirusScanStartedEvent = z.infer<typeof antivirusScanStartedEventSchema>;
export type AntivirusScanProgressEvent = z.infer<typeof antivirusScanProgressEventSchema>;
export type AntivirusScanFinishedEvent = z.infer<typeof antivirusScanFinishedEventSchema>;
export type AntivirusRestoredEvent = z.infer<typeof antivirusRestoredEventSchema>;
