import { decodePayload } from '@bascule/protocol/runtime';
import { METERED_MODES, type MeteredMode } from '../metered/metered-policy.js';

/**
 * The daemon's own check of a `config` message: only what it needs to store it and order it (the
 * revision). The whole message is validated by `bascule-agent apply`, in a child process, because the
 * daemon must not load zod. No zod here.
 */
export type ConfigEnvelope =
  | { ok: true; revision: number; json: string; agent: HubAgentSettings }
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
  return { ok: true, revision, json: JSON.stringify(message), agent: readAgentSettings(message) };
}

/** What the daemon itself takes from the config's `agent` section (the rest goes to the apply child). */
export interface HubAgentSettings {
  /** `on` / `off` from the hub force metered mode; absent (or `auto`): the agent's own `--metered`. */
  metered?: MeteredMode;
}

/**
 * Hand-checked: a value the daemon does not know is left out (the agent keeps its own setting); the
 * child's schema check refuses such a config and the report says why.
 */
export function readAgentSettings(message: object): HubAgentSettings {
  const agent = (message as { agent?: unknown }).agent;
  if (typeof agent !== 'object' || agent === null) return {};
  const metered = (agent as { metered?: unknown }).metered;
  return typeof metered === 'string' && (METERED_MODES as readonly string[]).includes(metered)
    ? { metered: metered as MeteredMode }
    : {};
}

/** The `agent` section of a stored config; empty when there is none or it cannot be read. */
export function storedAgentSettings(raw: Buffer | null): HubAgentSettings {
  if (!raw) return {};
  try {
    const message: unknown = JSON.parse(raw.toString('utf8'));
    return typeof message === 'object' && message !== null ? readAgentSettings(message) : {};
  } catch {
    // A damaged pending file is replaced by the next config from the hub; meanwhile the local settings hold.
    return {};
  }
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
