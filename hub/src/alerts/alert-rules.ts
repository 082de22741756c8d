import type { HealthSample } from '@bascule/protocol';
import type { HealthSettings } from '../device-health/health-settings.js';

/** Alert types; the UI translates them (`resources.alerts.types.<type>`), `detail` gives the numbers. */
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

/** Decided by each health sample, as it arrives. */
export const SAMPLE_ALERT_TYPES: readonly AlertType[] = ['disk-full', 'failed-unit', 'battery-health'];
/** Decided by time and the inventory, in the hourly housekeeping. */
export const STATE_ALERT_TYPES: readonly AlertType[] = [
  'offline',
  'reboot-required',
  'smart-failure',
  'antivirus-outdated',
  'antivirus-detection',
  'antivirus-scan-error',
  'wwan-data-cap',
];

/** The 4G plan's alert: this share of the month's cap used (`wwan-failover` module's report). */
export const WWAN_DATA_CAP_ALERT_PERCENT = 80;

/** A condition that holds now: one alert per (device, type, subject) while it does. */
export interface Finding {
  type: AlertType;
  /** A mount point, a unit, a disk, a product; '' when the type says it all. */
  subject: string;
  /** An English sentence for logs and API clients without translations. */
  message: string;
  detail: Record<string, unknown>;
}

const DAY_MS = 86_400_000;
const round1 = (n: number) => Math.round(n * 10) / 10;

export function sampleFindings(s: HealthSample, settings: HealthSettings): Finding[] {
  const out: Finding[] = [];
  for (const d of s.disks) {
    if (d.sizeBytes <= 0) continue;
    const usedPercent = round1((d.usedBytes / d.sizeBytes) * 100);
    if (usedPercent > settings.diskFullPercent) {
      out.push({
        type: 'disk-full',
        subject: d.mount,
        message: `${d.mount} is ${usedPercent} % full`,
        detail: { mount: d.mount, usedPercent, sizeBytes: d.sizeBytes, usedBytes: d.usedBytes },
      });
    }
  }
  for (const unit of s.failedUnits ?? []) {
    out.push({ type: 'failed-unit', subject: unit, message: `systemd unit ${unit} failed`, detail: { unit } });
  }
  const health = s.battery?.healthPercent;
  if (health !== undefined && health < settings.batteryHealthPercent) {
    out.push({
      type: 'battery-health',
      subject: '',
      message: `the battery holds ${health} % of its design capacity`,
      detail: { healthPercent: health },
    });
  }
  return out;
}

/** What the housekeeping knows of a device. Inventory sections are read defensively: older agents lack fields. */
export interface DeviceState {
  online: boolean;
  lastSeenAt: string | null;
  enrolledAt: string;
  hardware?: unknown;
  software?: unknown;
  antivirus?: unknown;
  /** The `antivirus` module's last observed state (its signature date is fresher than the inventory's). */
  antivirusObserved?: unknown;
  /** The device's last finished antivirus scan (hub/src/antivirus). */
  antivirusLastScan?: AntivirusLastScan;
  /** The `observed` of the device's last `wwan-failover` report (data use against the plan's cap). */
  wwan?: unknown;
  /** When the hub first saw `rebootRequired` on this device (used when the device does not say since when). */
  rebootSeenSince?: string;
}

/** A finished scan as the antivirus rules read it. */
export interface AntivirusLastScan {
  scanId: string;
  result: 'clean' | 'infected' | 'error';
  finishedAt: string;
  /** How many files were found infected (the list below may hold fewer). */
  detectionCount: number;
  detections: { path: string; signature: string; action: string }[];
  errors: string[];
  exitCode: number | null;
}

/** At most this many detections or errors are copied into an alert's detail. */
const ALERT_LIST_MAX = 20;

export interface StateEvaluation {
  findings: Finding[];
  /** Whether the device requires a reboot now (the caller remembers since when). */
  rebootRequired: boolean;
}

export function stateFindings(d: DeviceState, now: Date, settings: HealthSettings): StateEvaluation {
  const out: Finding[] = [];
  const seen = d.lastSeenAt ?? d.enrolledAt;
  const offlineDays = (now.getTime() - Date.parse(seen)) / DAY_MS;
  if (!d.online && offlineDays > settings.offlineDays) {
    out.push({
      type: 'offline',
      subject: '',
      message: `not seen for ${Math.floor(offlineDays)} days`,
      detail: { lastSeenAt: d.lastSeenAt, days: Math.floor(offlineDays) },
    });
  }

  const reboot = rebootRequired(d.software);
  if (reboot.required) {
    const since = reboot.since ?? d.rebootSeenSince ?? now.toISOString();
    const days = (now.getTime() - Date.parse(since)) / DAY_MS;
    if (days > settings.rebootRequiredDays) {
      out.push({
        type: 'reboot-required',
        subject: '',
        message: `a reboot has been required for ${Math.floor(days)} days`,
        detail: { since, days: Math.floor(days), packages: reboot.packages },
      });
    }
  }

  for (const disk of arrayAt(d.hardware, 'disks')) {
    const smart = objectAt(disk, 'smart');
    if (smart?.passed === false) {
      const subject = String(disk.device ?? disk.name ?? disk.serial ?? '');
      out.push({
        type: 'smart-failure',
        subject,
        message: `disk ${subject} fails its SMART self-assessment`,
        detail: { device: disk.device, model: disk.name, serial: disk.serial },
      });
    }
  }

  for (const [name, signatureDate] of signatureDates(d.antivirus, d.antivirusObserved)) {
    const days = (now.getTime() - Date.parse(signatureDate)) / DAY_MS;
    if (days > settings.antivirusSignatureDays) {
      out.push({
        type: 'antivirus-outdated',
        subject: name,
        message: `${name} signatures are ${Math.floor(days)} days old`,
        detail: { product: name, signatureDate, days: Math.floor(days) },
      });
    }
  }
  out.push(...scanFindings(d.antivirusLastScan));
  const use = objectAt(d.wwan, 'dataUse');
  const percent = typeof use?.percentOfCap === 'number' ? use.percentOfCap : 0;
  const capMiB = typeof use?.capMiB === 'number' ? use.capMiB : 0;
  if (capMiB > 0 && percent >= WWAN_DATA_CAP_ALERT_PERCENT) {
    out.push({
      type: 'wwan-data-cap',
      subject: '',
      message: `the 4G link has used ${percent} % of its ${capMiB} MiB monthly cap`,
      detail: { percentOfCap: percent, capMiB, bytes: use?.bytes, since: use?.since },
    });
  }
  return { findings: out, rebootRequired: reboot.required };
}

/**
 * Signature dates by product: the inventory's, with ClamAV's replaced by the module's observed date when
 * that one is newer (the module reports after each apply, the inventory at most hourly).
 */
function signatureDates(inventory: unknown, observed: unknown): Map<string, string> {
  const dates = new Map<string, string>();
  for (const product of arrayAt(inventory, 'products')) {
    const date = product.signatureDate;
    if (typeof date !== 'string' || Number.isNaN(Date.parse(date))) continue;
    dates.set(String(product.name ?? 'antivirus'), date);
  }
  const o = objectOf(observed)?.signatureDate;
  if (typeof o === 'string' && !Number.isNaN(Date.parse(o))) {
    const known = dates.get('ClamAV');
    if (known === undefined || Date.parse(o) > Date.parse(known)) dates.set('ClamAV', o);
  }
  return dates;
}

/**
 * The last scan found infected files (one alert per such scan: a new infection is not hidden behind an
 * acknowledged older one; it resolves when a later scan is clean), or failed (one alert while scans fail).
 */
function scanFindings(scan: AntivirusLastScan | undefined): Finding[] {
  if (scan?.result === 'infected') {
    const first = scan.detections[0];
    const more = scan.detectionCount > 1 ? ` and ${scan.detectionCount - 1} more` : '';
    return [
      {
        type: 'antivirus-detection',
        subject: scan.scanId,
        message: first
          ? `${first.signature} found in ${first.path}${more}`
          : `${scan.detectionCount} infected files found`,
        detail: {
          scanId: scan.scanId,
          finishedAt: scan.finishedAt,
          count: scan.detectionCount,
          signatures: [...new Set(scan.detections.map((x) => x.signature))].slice(0, ALERT_LIST_MAX),
          detections: scan.detections.slice(0, ALERT_LIST_MAX),
        },
      },
    ];
  }
  if (scan?.result === 'error') {
    return [
      {
        type: 'antivirus-scan-error',
        subject: '',
        message: `the antivirus scan failed${scan.errors[0] ? `: ${scan.errors[0]}` : ''}`,
        detail: {
          scanId: scan.scanId,
          finishedAt: scan.finishedAt,
          exitCode: scan.exitCode,
          errors: scan.errors.slice(0, ALERT_LIST_MAX),
        },
      },
    ];
  }
  return [];
}

/** `rebootRequired` as `{required, since?, packages}` (the inventory's schema) or a bare boolean (defensive). */
function rebootRequired(software: unknown): { required: boolean; since?: string; packages?: unknown } {
  const v = objectOf(software)?.rebootRequired;
  if (v === true) return { required: true };
  const o = objectOf(v);
  if (!o || o.required !== true) return { required: false };
  const since = typeof o.since === 'string' && !Number.isNaN(Date.parse(o.since)) ? o.since : undefined;
  return { required: true, ...(since ? { since } : {}), packages: Array.isArray(o.packages) ? o.packages : [] };
}

function objectOf(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function objectAt(v: unknown, key: string): Record<string, unknown> | undefined {
  return objectOf(objectOf(v)?.[key]);
}

function arrayAt(v: unknown, key: string): Record<string, unknown>[] {
  const a = objectOf(v)?.[key];
  return Array.isArray(a) ? a.map(objectOf).filter((x): x is Record<string, unknown> => x !== undefined) : [];
}
