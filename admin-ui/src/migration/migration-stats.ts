import type { MachineStatus, Phase } from '../registry/registry.js';

/** `GET /registry/dashboard/departments`: figures of each department's whole subtree, computed by the hub. */
export interface DepartmentFigures {
  id: string;
  name: string;
  parentId: string | null;
  phase: Phase;
  total: number;
  counts: Partial<Record<MachineStatus, number>>;
  migratedPct: number;
}

export interface OrganisationFigures {
  total: number;
  counts: Partial<Record<MachineStatus, number>>;
  migratedPct: number;
  unassigned: number;
}

export interface PhaseFigures {
  phase: Phase;
  departments: number;
  machines: number;
  migrated: number;
}

export interface ExceptionFigures {
  reason: string;
  count: number;
  withWorkaround: number;
}

export interface MigrationDashboard {
  generatedAt: string;
  organisation: OrganisationFigures;
  departments: DepartmentFigures[];
  phases: PhaseFigures[];
  exceptions: ExceptionFigures[];
}

export interface TrendPoint {
  day: string;
  counts: Partial<Record<MachineStatus, number>>;
}

export type DepartmentSort = 'name' | 'pct-desc' | 'pct-asc';

/** Departments for the bars: by name in French order, or by percentage (ties by name). */
export function sortDepartments(rows: readonly DepartmentFigures[], sort: DepartmentSort, locale = 'fr') {
  const collator = new Intl.Collator(locale, { sensitivity: 'base' });
  const byName = (a: DepartmentFigures, b: DepartmentFigures) => collator.compare(a.name, b.name);
  return [...rows].sort((a, b) => {
    if (sort === 'name') return byName(a, b);
    const d = sort === 'pct-desc' ? b.migratedPct - a.migratedPct : a.migratedPct - b.migratedPct;
    return d !== 0 ? d : byName(a, b);
  });
}

/**
 * The hub's percentage (0–100, one decimal) in the locale: "33,3 %" in French (a no-break space before %),
 * "33.3%" in English. The hub rounds; the UI does not recompute.
 */
export function formatMigratedPct(pct: number | null | undefined, locale: string): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(pct / 100);
}

/** One row per day for the line chart: migrated, exceptions and the total on that day. */
export function trendRows(points: readonly TrendPoint[]) {
  return points.map((p) => {
    const counts = p.counts;
    const total = Object.values(counts).reduce<number>((s, n) => s + (n ?? 0), 0);
    const migrated = counts.migrated ?? 0;
    return {
      day: p.day,
      migrated,
      exception: counts.exception ?? 0,
      pct: total > 0 ? Math.round((migrated / total) * 1000) / 10 : 0,
      total,
    };
  });
}

/** The hub's CSV of one dashboard table (UTF-8 with BOM, `;`: French Excel opens it by double-click). */
export function dashboardCsvUrl(table: 'organisation' | 'departments' | 'phases' | 'exceptions' | 'trend'): string {
  return `/api/v1/registry/dashboard/${table}?format=csv`;
}
