import { WWAN_FAILOVER_SECRET_FIELDS, WWAN_SECRET_PLACEHOLDER } from '@bascule/protocol';

/**
 * Write-only fields of policy documents (the SIM PIN of `wwan-failover`): stored with the revision and
 * sent to the devices, never returned by the API (shown as `[secret]`) nor logged. A document sent back
 * with `[secret]` keeps the value of the previous revision, so a form can be saved without re-typing it.
 */
const SECRET_FIELDS: Record<string, readonly string[]> = {
  'wwan-failover': WWAN_FAILOVER_SECRET_FIELDS,
};

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The document as the API shows it: each secret present replaced by `[secret]`. */
export function redactPolicySecrets(module: string, document: unknown): unknown {
  const fields = SECRET_FIELDS[module];
  if (!fields || !isObject(document)) return document;
  const out = { ...document };
  for (const f of fields) if (out[f] !== undefined) out[f] = WWAN_SECRET_PLACEHOLDER;
  return out;
}

/** `[secret]` in an incoming document becomes the previous revision's value (or nothing, when it had none). */
export function restorePolicySecrets(module: string, document: unknown, previous: unknown): unknown {
  const fields = SECRET_FIELDS[module];
  if (!fields || !isObject(document)) return document;
  const out = { ...document };
  for (const f of fields) {
    if (out[f] !== WWAN_SECRET_PLACEHOLDER) continue;
    const kept = isObject(previous) ? previous[f] : undefined;
    if (kept === undefined) delete out[f];
    else out[f] = kept;
  }
  return out;
}
