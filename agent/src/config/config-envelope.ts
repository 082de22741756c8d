import { decodePayload } from '@bascule/protocol/runtime';

/**
 * The daemon's own check of a `config` message: only what it needs to store it and order it (the
 * revision). The whole message is validated by `bascule-agent apply`, in a child process, because the
 * daemon must not load zod. No zod here.
 */
export type ConfigEnvelope =
  | { ok: true; revision: number; json: string }
  | { ok: false; reason: string; revision: number };

export function readConfigEnvelope(payload: Buffer): ConfigEnvelope {
  let message: unknown;
  try {
    message = decodePayload(payload);
  } catch (err) {
    return { ok: false, reason: `config payload refused: ${(err as Error).message}`, revision: 0 };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return { ok: false, reason: 'config payload refused: not a JSON object', revision: 0 };
  }
  const revision = (message as { revision?: unknown }).revision;
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) {
    return { ok: false, reason: 'config payload refused: revision must be a non-negative integer', revision: 0 };
  }
  return { ok: true, revision, json: JSON.stringify(message) };
}

/** The revision of a stored config, or null when there is none or it cannot be read. */
export function storedRevision(raw: Buffer | null): number | null {
  if (!raw) return null;
  try {
    const revision = (JSON.parse(raw.toString('utf8')) as { revision?: unknown }).revision;
    return typeof revision === 'number' ? revision : null;
  } catch {
    // A damaged pending file is replaced by the next config from the hub.
    return null;
  }
}
