import { z } from 'zod';
import { envelopeSchema } from './envelope.js';

const nonNegative = z.number().finite().nonnegative();

export const diskUsageSchema = z.object({
  mount: z.string().max(4096),
  fs: z.string().max(4096).optional(),
  sizeBytes: nonNegative,
  usedBytes: nonNegative,
});

/** One heartbeat sample. Byte counts are bytes; load is the 1/5/15 minute load average. */
export const healthSampleSchema = z.object({
  ts: z.iso.datetime({ offset: true }),
  load1: nonNegative,
  load5: nonNegative,
  load15: nonNegative,
  cpuCount: z.number().int().positive(),
  memTotalBytes: nonNegative,
  memUsedBytes: nonNegative,
  swapTotalBytes: nonNegative,
  swapUsedBytes: nonNegative,
  uptimeSeconds: nonNegative,
  disks: z.array(diskUsageSchema).max(256),
});

/** `health` (QoS 1): one or more samples (several after a time offline). */
export const healthMessageSchema = envelopeSchema.extend({
  samples: z.array(healthSampleSchema).min(1).max(10_000),
});

export type DiskUsage = z.infer<typeof diskUsageSchema>;
export type HealthSample = z.infer<typeof healthSampleSchema>;
export type HealthMessage = z.infer<typeof healthMessageSchema>;
