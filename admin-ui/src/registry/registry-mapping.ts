import { type ColumnMapping, IMPORT_FIELDS, type ImportField } from './registry.js';

/** Column names compared without case, accents or repeated spaces (as the hub does). */
export function columnKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * GLPI's "Ordinateurs" / "Computers" export, French or English UI (the same names as the hub's preset,
 * hub/src/registry/registry-mapping.ts): the first name found wins.
 */
const GLPI_COLUMNS: Record<ImportField, string[]> = {
  hostname: ['nom', 'name'],
  serial: ['numero de serie', 'serial number', 'serial', 'ssn'],
  macs: [
    'ports reseau - adresse mac',
    'reseau - adresse mac',
    'composants - carte reseau - adresse mac',
    'network ports - mac',
    'network ports - mac address',
    'network port - mac address',
    'adresse mac',
    'mac address',
    'mac',
  ],
  department: ['entite', 'entity', 'entities_id'],
  mainUser: ['utilisateur', 'user', 'usager', 'contact', 'users_id', 'lastloggeduser', 'login'],
  os: ["systeme d'exploitation - nom", 'operating system - name', "systeme d'exploitation", 'operatingsystems_id'],
};

/** The GLPI preset applied to a file's columns: only the fields whose column the file has. */
export function glpiMapping(columns: readonly string[]): ColumnMapping {
  const byKey = new Map(columns.map((c) => [columnKey(c), c] as const));
  const out: ColumnMapping = {};
  for (const field of IMPORT_FIELDS) {
    const hit = GLPI_COLUMNS[field].find((a) => byKey.has(a));
    if (hit) out[field] = byKey.get(hit);
  }
  return out;
}

/** One field set to a column, or left out (`''`); a column maps to one field at most. */
export function setColumn(mapping: ColumnMapping, field: ImportField, column: string): ColumnMapping {
  const out: ColumnMapping = {};
  for (const f of IMPORT_FIELDS) {
    const c = f === field ? column : mapping[f];
    if (c && (f === field || c !== column)) out[f] = c;
  }
  return out;
}

/** The hub needs a serial or a hostname to tell machines apart. */
export function mappingIsUsable(mapping: ColumnMapping): boolean {
  return Boolean(mapping.serial || mapping.hostname);
}

/** Same fields to the same columns (the order of keys aside). */
export function sameMapping(a: ColumnMapping, b: ColumnMapping): boolean {
  return IMPORT_FIELDS.every((f) => (a[f] ?? '') === (b[f] ?? ''));
}

/** The progress bar's value, 0–100, from the hub's `progress` while importing. */
export function importProgressPct(progress: { phase: string; done: number; total: number } | null): number {
  if (!progress || progress.total <= 0) return 0;
  const ratio = Math.min(1, Math.max(0, progress.done / progress.total));
  // Checking and writing take most of the time; committing is the last, short step.
  if (progress.phase === 'checking') return Math.round(ratio * 20);
  if (progress.phase === 'writing') return Math.round(20 + ratio * 75);
  return 95 + Math.round(ratio * 5);
}
