/** An alert as `GET /api/v1/alerts` returns it (docs/rest-api.md, "Alerts"). */
export interface Alert {
  id: string;
  deviceId: string;
  hostname: string;
  department: string;
  type: AlertType;
  /** A mount point, a unit, a disk, a product; '' when the type says it all. */
  subject: string;
  state: AlertState;
  /** English, for logs and scripts; the UI says `type` and `detail` in its own words. */
  message: string;
  detail: Record<string, unknown>;
  openedAt: string;
  updatedAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

/** The hub's alert types (hub/src/alerts/alert-rules.ts), in the order the filter lists them. */
export const ALERT_TYPES = [
  'disk-full',
  'failed-unit',
  'battery-health',
  'offline',
  'reboot-required',
  'smart-failure',
  'antivirus-outdated',
  'antivirus-detection',
  'antivirus-scan-error',
  'wwan-data-cap',
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** Open and acknowledged: what still needs someone. */
export const ACTIVE_STATES: AlertState[] = ['open', 'acknowledged'];

/** The list filtered as a dashboard link or the menu badge wants it. */
export function alertsWith(filter: Record<string, unknown>): string {
  return `/alerts?filter=${encodeURIComponent(JSON.stringify(filter))}`;
}
