import { devicePrefix, parseDeviceTopic } from '@bascule/protocol';

/** Topic kinds a device may publish, each with an ingest handler on the hub. */
export const HANDLED_PUBLISH_KINDS = new Set(['status', 'inventory', 'health']);
/** Topic kinds a device may subscribe to. */
export const ALLOWED_SUBSCRIBE_KINDS = new Set(['config', 'rpc/req']);

export type PublishDecision =
  | { allow: true; kind: string }
  /** Outside the device's own prefix: hostile or broken; the connection is closed. */
  | { allow: false; disconnect: true; reason: string }
  /** Inside its prefix but not a topic the hub knows: acknowledged and dropped, so the agent's outbox moves on. */
  | { allow: false; disconnect: false; reason: string };

export function decidePublish(deviceId: string, topic: string): PublishDecision {
  const parsed = parseDeviceTopic(topic);
  if (!parsed || parsed.deviceId !== deviceId) {
    return { allow: false, disconnect: true, reason: `publish outside ${devicePrefix(deviceId)} refused` };
  }
  if (!HANDLED_PUBLISH_KINDS.has(parsed.kind)) {
    return { allow: false, disconnect: false, reason: `unknown topic ${topic}` };
  }
  return { allow: true, kind: parsed.kind };
}

/** A device may subscribe only to its own config and RPC request topics, never to wildcards above them. */
export function maySubscribe(deviceId: string, filter: string): boolean {
  const parsed = parseDeviceTopic(filter);
  return parsed !== null && parsed.deviceId === deviceId && ALLOWED_SUBSCRIBE_KINDS.has(parsed.kind);
}
