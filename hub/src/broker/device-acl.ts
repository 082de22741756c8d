import { devicePrefix, parseDeviceTopic, parseTerminalKind } from '@bascule/protocol';

/** Topic kinds a device may publish, each with a handler on the hub. `term/{sid}/out` is matched apart. */
export const HANDLED_PUBLISH_KINDS = new Set(['status', 'inventory', 'health', 'report', 'event', 'rpc/res']);
/** Topic kinds a device may subscribe to; plus `term/+/in` (the input of its terminal sessions). */
export const ALLOWED_SUBSCRIBE_KINDS = new Set(['config', 'rpc/req']);
const TERMINAL_INPUT_FILTER = 'term/+/in';

export type PublishDecision =
  | { allow: true; kind: string; sid?: string }
  /** Outside the device's own prefix: hostile or broken; the connection is closed. */
  | { allow: false; disconnect: true; reason: string }
  /** Inside its prefix but not a topic the hub knows: acknowledged and dropped, so the agent's outbox moves on. */
  | { allow: false; disconnect: false; reason: string };

export function decidePublish(deviceId: string, topic: string): PublishDecision {
  const parsed = parseDeviceTopic(topic);
  if (!parsed || parsed.deviceId !== deviceId) {
    return { allow: false, disconnect: true, reason: `publish outside ${devicePrefix(deviceId)} refused` };
  }
  const terminal = parseTerminalKind(parsed.kind);
  if (terminal) {
    return terminal.direction === 'out'
      ? { allow: true, kind: 'term/out', sid: terminal.sid }
      : { allow: false, disconnect: false, reason: `a device does not publish terminal input (${topic})` };
  }
  if (!HANDLED_PUBLISH_KINDS.has(parsed.kind)) {
    return { allow: false, disconnect: false, reason: `unknown topic ${topic}` };
  }
  return { allow: true, kind: parsed.kind };
}

/**
 * A device may subscribe only to its own config, RPC requests and terminal input (`term/+/in`, or one
 * session's `term/{sid}/in`), never to wildcards above them. Also decides what the broker forwards.
 */
export function maySubscribe(deviceId: string, filter: string): boolean {
  const parsed = parseDeviceTopic(filter);
  if (parsed === null || parsed.deviceId !== deviceId) return false;
  if (ALLOWED_SUBSCRIBE_KINDS.has(parsed.kind) || parsed.kind === TERMINAL_INPUT_FILTER) return true;
  return parseTerminalKind(parsed.kind)?.direction === 'in';
}
