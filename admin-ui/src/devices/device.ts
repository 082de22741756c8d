import type { HealthSample } from '@bascule/protocol';

/** A device as `GET /api/v1/devices` and `GET /api/v1/devices/{id}` return it (docs/rest-api.md). */
export interface Device {
  id: string;
  hostname: string;
  department: string | null;
  online: boolean;
  os: string | null;
  kernel?: string | null;
  model?: string | null;
  serial?: string | null;
  agentVersion?: string | null;
  enrolledAt?: string | null;
  lastSeenAt?: string | null;
  cloneOf?: string | null;
  lastHeartbeat?: HealthSample | null;
  /** Metered mode set on the hub: `auto` leaves it to the agent; `on` / `off` force it. */
  metered?: MeteredSetting;
}

export const METERED_SETTINGS = ['auto', 'on', 'off'] as const;
export type MeteredSetting = (typeof METERED_SETTINGS)[number];
