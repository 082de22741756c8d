/** `GET /api/v1/devices/{id}/antivirus` and `GET /api/v1/antivirus` (docs/rest-api.md, "Antivirus"). */

export type ScanResult = 'clean' | 'infected' | 'error';

export interface AntivirusScan {
  scanId: string;
  trigger: 'scheduled' | 'on-demand' | 'before-vpn' | string;
  paths: string[];
  startedAt: string;
  finishedAt: string | null;
  result: ScanResult | null;
  engine: string | null;
  durationMs: number | null;
  filesScanned: number | null;
  filesTotal: number | null;
  detections: number;
  errors: string[];
  exitCode: number | null;
}

export interface AntivirusDetection {
  scanId: string;
  path: string;
  signature: string;
  action: 'reported' | 'quarantined' | 'quarantine-failed' | string;
  quarantineId: string | null;
  error: string | null;
  detectedAt: string;
}

export interface QuarantineItem {
  id: string;
  path: string;
  signature: string;
  scanId: string | null;
  quarantinedAt: string;
  sizeBytes: number | null;
}

export interface AntivirusStatus {
  id: string;
  hostname: string;
  installed: boolean | null;
  engineVersion: string | null;
  signatureVersion: string | null;
  signatureDate: string | null;
  signatureAgeDays: number | null;
  signatureOutdated: boolean;
  daemonRunning: boolean | null;
  mirrorUrl: string | null;
  source: 'module' | 'inventory' | null;
  currentScan: AntivirusScan | null;
  lastScan: AntivirusScan | null;
  detections30d: number;
  recentDetections: AntivirusDetection[];
  quarantine: QuarantineItem[];
}

/** One row of the fleet view. */
export interface AntivirusFleetRow {
  id: string;
  hostname: string;
  department: string;
  online: boolean;
  installed: boolean | null;
  scanning: boolean;
  lastScanId: string | null;
  lastScanAt: string | null;
  lastResult: ScanResult | null;
  detections30d: number;
  signatureVersion: string | null;
  signatureDate: string | null;
  signatureAgeDays: number | null;
  signatureOutdated: boolean;
}

/** The scan's progress as a fraction (0–1), when the agent knows how many files there are. */
export function scanProgress(scan: AntivirusScan): number | undefined {
  if (!scan.filesTotal || scan.filesScanned === null) return undefined;
  return Math.min(1, scan.filesScanned / scan.filesTotal);
}

/**
 * Whether a scan the user just asked for is over: the status shows a finished scan with that id,
 * or (the agent answered with an id the events do not carry yet) a last scan newer than the request.
 */
export function scanDone(status: AntivirusStatus | undefined, scanId: string, requestedAt: string): boolean {
  const last = status?.lastScan;
  if (!last) return false;
  if (last.scanId === scanId) return true;
  return status?.currentScan === null && last.finishedAt !== null && last.finishedAt >= requestedAt;
}

/** The colour of a scan result chip. */
export function resultColour(result: ScanResult | null): 'success' | 'error' | 'warning' | 'default' {
  return result === 'clean' ? 'success' : result === 'infected' ? 'error' : result === 'error' ? 'warning' : 'default';
}
