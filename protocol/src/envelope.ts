import { z } from 'zod';
import { PROTOCOL_VERSION } from './constants.js';

export { PROTOCOL_VERSION } from './constants.js';

/** ULID: 26 characters of Crockford base32; unique per message so the hub never stores one twice. */
export const ulidSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'expected a ULID');

/** Every message carries `{v, id, ts}`. */
export const envelopeSchema = z.object({
  v: z.literal(PROTOCOL_VERSION),
  id: ulidSchema,
  ts: z.iso.datetime({ offset: true }),
});

export type Envelope = z.infer<typeof envelopeSchema>;
