import type { AntivirusFleetRow } from './antivirus.js';

type Translate = (key: string, options?: Record<string, unknown>) => string;

const COLUMNS = [
  'hostname',
  'department',
  'lastScanAt',
  'lastResult',
  'detections30d',
  'signatureVersion',
  'signatureDate',
  'signatureAgeDays',
] as const;

/** A CSV field: quoted when it holds a separator, a quote or a line break (RFC 4180). */
function field(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",;\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The fleet view as CSV, headers and results in the UI's language. */
export function fleetCsv(rows: readonly AntivirusFleetRow[], translate: Translate): string {
  const header = COLUMNS.map((c) => field(translate(`resources.antivirus.fields.${c}`)));
  const lines = rows.map((r) =>
    COLUMNS.map((c) =>
      field(c === 'lastResult' ? translate(`bascule.antivirus.results.${r.lastResult ?? 'none'}`) : r[c]),
    ).join(','),
  );
  return [header.join(','), ...lines].join('\r\n');
}
