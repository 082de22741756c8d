/** `GET /glpi/status` (docs/rest-api.md): GLPI forwarding as the hub sees it. */
export interface GlpiStatus {
  configured: boolean;
  /** The GLPI URL without the credentials it may carry; absent when forwarding is off. */
  url?: string;
  queueLength: number;
  /** Devices that were ever queued, failing ones first. */
  devices: GlpiDeviceStatus[];
}

export interface GlpiDeviceStatus {
  deviceId: string;
  hostname: string;
  pending: boolean;
  queuedAt: string | null;
  nextAttemptAt: string | null;
  /** Failures since the last success. */
  attempts: number;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
}

/** failing: the last attempt failed (retried at nextAttemptAt); waiting: queued, not tried yet; sent: up to date. */
export type GlpiDeviceState = 'failing' | 'waiting' | 'sent';

export function glpiDeviceState(d: Pick<GlpiDeviceStatus, 'pending' | 'attempts'>): GlpiDeviceState {
  if (d.attempts > 0) return 'failing';
  return d.pending ? 'waiting' : 'sent';
}

/** How many devices the last attempt failed for (the dashboard's warning, the page's summary). */
export function failingCount(status: Pick<GlpiStatus, 'devices'> | undefined): number {
  return status?.devices.filter((d) => glpiDeviceState(d) === 'failing').length ?? 0;
}
