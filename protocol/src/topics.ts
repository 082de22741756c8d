/**
 * MQTT topic names. Every device lives under `bascule/v1/d/{deviceId}/`; the broker's ACL lets a
 * device publish and subscribe only below its own prefix.
 */
export const TOPIC_ROOT = 'bascule/v1/d';

/** Topics a device publishes (agent → hub). */
export const DEVICE_PUBLISHES = ['status', 'inventory', 'health', 'report', 'event', 'rpc/res'] as const;
/** Topics a device subscribes to (hub → agent). */
export const DEVICE_SUBSCRIBES = ['config', 'rpc/req'] as const;

export type DeviceTopicKind = (typeof DEVICE_PUBLISHES)[number] | (typeof DEVICE_SUBSCRIBES)[number];

/** A device id: ULID in Crockford base32 (26 characters), as issued by the hub at enrolment. */
export const DEVICE_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function devicePrefix(deviceId: string): string {
  return `${TOPIC_ROOT}/${deviceId}/`;
}

export function deviceTopic(deviceId: string, kind: DeviceTopicKind): string {
  return `${TOPIC_ROOT}/${deviceId}/${kind}`;
}

/** A terminal session's stream: `in` carries the helpdesk's side (hub → agent), `out` the device's. */
export function terminalTopic(deviceId: string, sid: string, direction: 'in' | 'out'): string {
  return `${TOPIC_ROOT}/${deviceId}/term/${sid}/${direction}`;
}

/** What the agent subscribes to for the input of all its sessions. */
export function terminalInputFilter(deviceId: string): string {
  return `${TOPIC_ROOT}/${deviceId}/term/+/in`;
}

const TERMINAL_KIND = /^term\/([0-9A-HJKMNP-TV-Z]{26})\/(in|out)$/;

/** Parses the kind part of a terminal topic (`term/{sid}/in|out`); null for anything else. */
export function parseTerminalKind(kind: string): { sid: string; direction: 'in' | 'out' } | null {
  const m = TERMINAL_KIND.exec(kind);
  return m ? { sid: m[1] as string, direction: m[2] as 'in' | 'out' } : null;
}

export interface ParsedTopic {
  deviceId: string;
  /** What follows the device prefix, e.g. `inventory` or `rpc/res`. */
  kind: string;
}

/** Splits a device topic; returns null for anything outside `bascule/v1/d/{id}/…`. */
export function parseDeviceTopic(topic: string): ParsedTopic | null {
  const root = `${TOPIC_ROOT}/`;
  if (!topic.startsWith(root)) return null;
  const rest = topic.slice(root.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return null;
  const deviceId = rest.slice(0, slash);
  const kind = rest.slice(slash + 1);
  if (!DEVICE_ID_PATTERN.test(deviceId) || kind.length === 0) return null;
  return { deviceId, kind };
}

/**
 * True when `filter` (an MQTT topic or subscription filter, wildcards allowed) cannot reach outside
 * the device's own prefix. `#` and `+` are allowed only after the prefix.
 */
export function isWithinDevicePrefix(deviceId: string, filter: string): boolean {
  const prefix = devicePrefix(deviceId);
  if (!filter.startsWith(prefix)) return false;
  const rest = filter.slice(prefix.length);
  return rest.length > 0;
}
