import { z } from 'zod';
import { DEFAULT_OUTBOX_BOUNDS } from '../outbox/outbox.js';

export const DEFAULT_STATE_DIR = '/var/lib/bascule-agent';

/** The daemon's settings: one schema gives the checks and the defaults. */
export const agentSettingsSchema = z.object({
  stateDir: z.string().min(1).default(DEFAULT_STATE_DIR),
  heartbeatSeconds: z.number().int().min(1).max(86_400).default(60),
  /** A full inventory this often (and at start, and on SIGHUP). */
  fullInventoryHours: z.number().positive().default(24),
  /** Between full inventories, look for changes this often and send only changed sections. */
  deltaInventoryMinutes: z.number().positive().default(60),
  outboxMaxMessages: z.number().int().min(10).default(DEFAULT_OUTBOX_BOUNDS.maxMessages),
  outboxMaxBytes: z
    .number()
    .int()
    .min(64 * 1024)
    .default(DEFAULT_OUTBOX_BOUNDS.maxBytes),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type AgentSettings = z.infer<typeof agentSettingsSchema>;
