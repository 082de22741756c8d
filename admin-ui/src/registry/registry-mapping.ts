import { columnKey, GLPI_COLUMN_ALIASES, mappingFromAliases } from '@bascule/protocol';
import { type ColumnMapping, IMPORT_FIELDS, type ImportField } from './registry.js';

/** Column names compared as the hub compares them. */
export { columnKey };

/** The GLPI preset applied to a file's columns (the hub's own preset): only the fields whose column the file has. */
export function glpiMapping(columns: readonly string[]): ColumnMapping {
  return mappingFromAliases(columns, GLPI_COLUMN_ALIASES);
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
