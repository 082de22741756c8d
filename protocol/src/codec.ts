import { gunzipSync, gzipSync } from 'node:zlib';

/** Largest payload accepted on any topic, compressed or not (and the largest a gzip payload may expand to). */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

/** Payloads above this size are gzip-compressed by the sender. */
export const COMPRESS_ABOVE_BYTES = 1024;

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

export class PayloadError extends Error {
  override name = 'PayloadError';
}

/** JSON-encodes a message, gzip-compressing it when that makes it smaller. */
export function encodePayload(message: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(message), 'utf8');
  if (json.length <= COMPRESS_ABOVE_BYTES) return json;
  const gz = gzipSync(json, { level: 6 });
  return gz.length < json.length ? gz : json;
}

/**
 * Decodes a JSON payload, gzip or plain. Throws PayloadError with a reason a person can act on:
 * too large, a gzip bomb, not UTF-8 JSON.
 */
export function decodePayload(payload: Uint8Array): unknown {
  if (payload.length > MAX_PAYLOAD_BYTES) {
    throw new PayloadError(`payload of ${payload.length} bytes exceeds the ${MAX_PAYLOAD_BYTES}-byte limit`);
  }
  let raw: Buffer = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  if (raw.length >= 2 && raw[0] === GZIP_MAGIC_0 && raw[1] === GZIP_MAGIC_1) {
    try {
      raw = gunzipSync(raw, { maxOutputLength: MAX_PAYLOAD_BYTES });
    } catch (err) {
      throw new PayloadError(
        `gzip payload could not be inflated within ${MAX_PAYLOAD_BYTES} bytes: ${(err as Error).message}`,
      );
    }
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new PayloadError(`payload is not valid JSON: ${(err as Error).message}`);
  }
}
