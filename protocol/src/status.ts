import { z } from 'zod';
import { envelopeSchema } from './envelope.js';

/** `status` (retained, QoS 1): `online` at connect, `offline` as the last will or at clean stop. */
export const statusMessageSchema = envelopeSchema.extend({
  state: z.enum(['online', 'offline']),
  agentVersion: z.string().max(64).optional(),
});

export type StatusMessage = z.infer<typeof statusMessageSchema>;
