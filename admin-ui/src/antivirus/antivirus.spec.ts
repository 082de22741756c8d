import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en.js';
import type { AntivirusFleetRow, AntivirusScan, AntivirusStatus } from './antivirus.js';
import { scanDone, scanProgress } from './antivirus.js';
import { fleetCsv } from './antivirus-csv.js';

const scan = (over: Partial<AntivirusScan> = {}): AntivirusScan => ({
  scanId: 's1',
  trigger: 'on-demand',
  paths: ['/home'],
  startedAt: '2026-12-03T09:00:00Z',
  finishedAt: null,
  result: null,
  engine: null,
  durationMs: null,
  filesScanned: 10,
  filesTotal: 40,
  detections: 0,
  errors: [],
  exitCode: null,
  ...over,
});
const status = (over: Partial<AntivirusStatus>) => ({ currentScan: null, lastScan: null, ...over }) as AntivirusStatus;

describe('antivirus status helpers', () => {
  it('gives the progress only when the total is known, never past 100 %', () => {
    expect(scanProgress(scan())).toBe(0.25);
    expect(scanProgress(scan({ filesTotal: null }))).toBeUndefined();
    expect(scanProgress(scan({ filesScanned: 50 }))).toBe(1);
  });

  it('sees the end of the scan asked for, and not an older one', () => {
    const at = '2026-12-03T09:00:00.000Z';
    const older = scan({ scanId: 'old', finishedAt: '2026-12-02T09:00:00Z', result: 'clean' });
    expect(scanDone(status({ lastScan: older }), 's1', at)).toBe(false);
    expect(scanDone(status({ lastScan: older, currentScan: scan() }), 's1', at)).toBe(false);
    expect(
      scanDone(status({ lastScan: scan({ finishedAt: '2026-12-03T09:01:00Z', result: 'infected' }) }), 's1', at),
    ).toBe(true);
    expect(scanDone(undefined, 's1', at)).toBe(false);
  });

  it('exports the fleet as CSV with translated headers and results, quoting what needs it', () => {
    const row: AntivirusFleetRow = {
      id: 'd1',
      hostname: 'pc-accueil-1',
      department: 'Accueil, RDC',
      online: true,
      installed: true,
      scanning: false,
      lastScanId: 's1',
      lastScanAt: '2026-12-03T09:01:00Z',
      lastResult: 'infected',
      detections30d: 2,
      signatureVersion: '27400',
      signatureDate: '2026-11-28T06:00:00Z',
      signatureAgeDays: 5,
      signatureOutdated: true,
    };
    const t = (key: string) =>
      key.split('.').reduce<unknown>((n, p) => (n as Record<string, unknown>)[p], en) as string;
    expect(fleetCsv([row, { ...row, hostname: 'pc-2', lastResult: null }], t).split('\r\n')).toEqual([
      'Device name,Department,Last scan,Result,Detections (30 days),Signature version,Signature date,Signature age',
      'pc-accueil-1,"Accueil, RDC",2026-12-03T09:01:00Z,Infected files,2,27400,2026-11-28T06:00:00Z,5',
      'pc-2,"Accueil, RDC",2026-12-03T09:01:00Z,Never scanned,2,27400,2026-11-28T06:00:00Z,5',
    ]);
  });
});
