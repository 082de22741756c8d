import { z } from 'zod';
import { envelopeSchema } from './envelope.js';

const nonNegative = z.number().finite().nonnegative();
const percent = z.number().finite().min(0).max(100);

export const diskUsageSchema = z.object({
  mount: z.string().max(4096),
  fs: z.string().max(4096).optional(),
  sizeBytes: nonNegative,
  usedBytes: nonNegative,
});

/** One temperature sensor: a thermal zone (`acpitz`, `x86_pkg_temp`) or a hwmon input (`coretemp/Package id 0`). */
export const temperatureSchema = z.object({
  sensor: z.string().max(128),
  celsius: z.number().finite().min(-100).max(300),
});

/** The laptop battery, as /sys/class/power_supply reports it. */
export const batteryHealthSchema = z.object({
  percent: percent,
  charging: z.boolean(),
  /** Full capacity now against the design capacity; absent when the battery does not report both. */
  healthPercent: z.number().finite().min(0).max(200).optional(),
});

/**
 * One heartbeat sample. Byte counts are bytes; load is the 1/5/15 minute load average. The fields after
 * `disks` are optional: absent means "not available on this machine" (no sensor, no battery, no systemd),
 * and older agents do not send them.
 */
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
  temperatures: z.array(temperatureSchema).max(64).optional(),
  battery: batteryHealthSchema.optional(),
  /** Names of the systemd units in the `failed` state (empty: none; absent: systemd not there). */
  failedUnits: z.array(z.string().max(256)).max(256).optional(),
  /** True when the default route goes through a mobile modem (or the hub says the link is metered). */
  metered: z.boolean().optional(),
  /** True when the agent's state directory is out of space: its outbox holds new messages in memory. */
  stateDiskFull: z.boolean().optional(),
});

/** `health` (QoS 1): one or more samples (a batch every few minutes, more after a time offline). */
export const healthMessageSchema = envelopeSchema.extend({
  samples: z.array(healthSampleSchema).min(1).max(10_000),
});

export type DiskUsage = z.infer<typeof diskUsageSchema>;
export type Temperature = z.infer<typeof temperatureSchema>;
export type BatteryHealth = z.infer<typeof batteryHealthSchema>;
export type HealthSample = z.infer<typeof healthSampleSchema>;
export type HealthMessage = z.infer<typeof healthMessageSchema>;
