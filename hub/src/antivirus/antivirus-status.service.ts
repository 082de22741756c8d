import type { DeviceEvent } from '@bascule/protocol';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Db } from '../database/database.js';
import type { DeviceService } from '../devices/device.service.js';
import type { DeviceEventListener } from '../events/device-events.service.js';
import { type AntivirusSignatures, antivirusSignatures } from './antivirus-signatures.js';
import type {
  AntivirusDetectionRow,
  AntivirusFleetFilter,
  AntivirusFleetRow,
  AntivirusScanRow,
  AntivirusSortField,
  AntivirusStatusRepository,
} from './antivirus-status.repository.js';

const DAY_MS = 86_400_000;
/** The fleet view and the device page count detections over this many days. */
export const DETECTION_WINDOW_DAYS = 30;
const RECENT_DETECTIONS = 50;
/** A running scan sends progress every few seconds: silent this long, it is taken as dead (agent stopped mid-scan). */
export const SCAN_STALE_MS = 10 * 60_000;

export interface AntivirusScanView {
  scanId: string;
  trigger: string;
  paths: string[];
  startedAt: string;
  finishedAt: string | null;
  result: 'clean' | 'infected' | 'error' | null;
  engine: string | null;
  durationMs: number | null;
  filesScanned: number | null;
  filesTotal: number | null;
  detections: number;
  errors: string[];
  exitCode: number | null;
}

export interface AntivirusDetectionView {
  scanId: string;
  path: string;
  signature: string;
  action: string;
  quarantineId: string | null;
  error: string | null;
  detectedAt: string;
}

export interface AntivirusQuarantineView {
  id: string;
  path: string;
  signature: string;
  scanId: string | null;
  quarantinedAt: string;
  /** From the module's report, when it lists the file. */
  sizeBytes: number | null;
}

/** `GET /api/v1/devices/{id}/antivirus` (docs/rest-api.md). */
export interface AntivirusStatusView extends AntivirusSignatures {
  id: string;
  hostname: string;
  /** Signature age in whole days (null without a date), and whether it passes the alert's threshold. */
  signatureAgeDays: number | null;
  signatureOutdated: boolean;
  currentScan: AntivirusScanView | null;
  lastScan: AntivirusScanView | null;
  detections30d: number;
  recentDetections: AntivirusDetectionView[];
  quarantine: AntivirusQuarantineView[];
}

/** One row of `GET /api/v1/antivirus`. */
export interface AntivirusFleetView {
  id: string;
  hostname: string;
  department: string;
  online: boolean;
  installed: boolean | null;
  scanning: boolean;
  lastScanId: string | null;
  lastScanAt: string | null;
  lastResult: string | null;
  detections30d: number;
  signatureVersion: string | null;
  signatureDate: string | null;
  signatureAgeDays: number | null;
  signatureOutdated: boolean;
}

export interface AntivirusFleetListQuery {
  filter: AntivirusFleetFilter;
  sort: AntivirusSortField;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/**
 * The antivirus status of each device: kept up to date from the module's events (a listener of the
 * event pipeline), read by the device page and the fleet view. A finished scan re-evaluates the
 * device's alerts (detection, scan error) at once instead of at the next hourly run.
 */
export class AntivirusStatusService implements DeviceEventListener {
  constructor(
    private readonly repo: AntivirusStatusRepository,
    private readonly devices: Pick<DeviceService, 'get'>,
    private readonly alerts: { evaluateState(deviceId: string): Promise<unknown> },
    private readonly outdatedDays: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async record(tx: Db, deviceId: string, events: readonly DeviceEvent[], receivedAt: string): Promise<void> {
    for (const e of events) {
      switch (e.type) {
        case 'antivirus.scan.started':
          await this.repo.scanStarted(tx, deviceId, e, receivedAt);
          break;
        case 'antivirus.scan.progress':
          await this.repo.scanProgress(tx, deviceId, e, receivedAt);
          break;
        case 'antivirus.scan.finished':
          await this.repo.scanFinished(tx, deviceId, e, receivedAt);
          break;
        case 'antivirus.quarantine.restored':
          await this.repo.restored(tx, deviceId, e);
          break;
        default:
          break;
      }
    }
  }

  async recorded(deviceId: string, events: readonly DeviceEvent[]): Promise<void> {
    let finished = false;
    for (const e of events) {
      if (e.type !== 'antivirus.scan.finished') continue;
      finished = true;
      this.logger.info('antivirus scan finished', {
        deviceId,
        scanId: e.data.scanId,
        result: e.data.result,
        detections: e.data.detections.length,
      });
    }
    if (finished) await this.alerts.evaluateState(deviceId);
  }

  /** One device's status; 404 for an unknown device. */
  async status(deviceId: string): Promise<AntivirusStatusView> {
    const device = await this.devices.get(deviceId);
    const now = this.clock.now();
    const { signatures, quarantineSizes } = antivirusSignatures(await this.repo.sources(deviceId));
    const age = ageDays(signatures.signatureDate, now);
    const [current, last, recent, quarantine, detections30d] = await Promise.all([
      this.repo.currentScan(deviceId, new Date(now.getTime() - SCAN_STALE_MS).toISOString()),
      this.repo.lastFinishedScan(deviceId),
      this.repo.recentDetections(deviceId, RECENT_DETECTIONS),
      this.repo.quarantine(deviceId),
      this.repo.detectionsSince(deviceId, new Date(now.getTime() - DETECTION_WINDOW_DAYS * DAY_MS).toISOString()),
    ]);
    return {
      id: device.id,
      hostname: device.hostname,
      ...signatures,
      signatureAgeDays: age === null ? null : Math.floor(age),
      signatureOutdated: age !== null && age > this.outdatedDays,
      currentScan: current ? scanView(current) : null,
      lastScan: last ? scanView(last) : null,
      detections30d,
      recentDetections: recent.map(detectionView),
      quarantine: quarantine.map((q) => ({
        id: q.quarantine_id,
        path: q.path,
        signature: q.signature,
        scanId: q.scan_id,
        quarantinedAt: q.quarantined_at,
        sizeBytes: quarantineSizes.get(q.quarantine_id) ?? null,
      })),
    };
  }

  async fleet(q: AntivirusFleetListQuery): Promise<{ rows: AntivirusFleetView[]; total: number }> {
    const now = this.clock.now();
    const { rows, total } = await this.repo.fleet({
      ...q,
      now: now.toISOString(),
      since: new Date(now.getTime() - DETECTION_WINDOW_DAYS * DAY_MS).toISOString(),
      freshSince: new Date(now.getTime() - SCAN_STALE_MS).toISOString(),
      outdatedDays: this.outdatedDays,
    });
    return { rows: rows.map((r) => this.fleetView(r)), total };
  }

  private fleetView(r: AntivirusFleetRow): AntivirusFleetView {
    const age = r.signature_age_days === null ? null : Number(r.signature_age_days);
    return {
      id: r.id,
      hostname: r.hostname,
      department: r.department,
      online: r.online === 1,
      installed: r.installed === null ? null : Number(r.installed) === 1,
      scanning: Number(r.scanning) === 1,
      lastScanId: r.last_scan_id,
      lastScanAt: r.last_scan_at,
      lastResult: r.last_result,
      detections30d: Number(r.detections_30d),
      signatureVersion: r.signature_version === null ? null : String(r.signature_version),
      signatureDate: r.signature_date,
      signatureAgeDays: age === null ? null : Math.floor(age),
      signatureOutdated: age !== null && age > this.outdatedDays,
    };
  }
}

function ageDays(iso: string | null, now: Date): number | null {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : (now.getTime() - t) / DAY_MS;
}

function scanView(s: AntivirusScanRow): AntivirusScanView {
  return {
    scanId: s.scan_id,
    trigger: s.trigger,
    paths: JSON.parse(s.paths) as string[],
    startedAt: s.started_at,
    finishedAt: s.finished_at,
    result: s.result,
    engine: s.engine,
    durationMs: s.duration_ms,
    filesScanned: s.files_scanned,
    filesTotal: s.files_total,
    detections: s.detections,
    errors: JSON.parse(s.errors) as string[],
    exitCode: s.exit_code,
  };
}

function detectionView(d: AntivirusDetectionRow): AntivirusDetectionView {
  return {
    scanId: d.scan_id,
    path: d.path,
    signature: d.signature,
    action: d.action,
    quarantineId: d.quarantine_id,
    error: d.error,
    detectedAt: d.detected_at,
  };
}
