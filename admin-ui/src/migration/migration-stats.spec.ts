import { describe, expect, it } from 'vitest';
import { type DepartmentFigures, formatMigratedPct, sortDepartments, trendRows } from './migration-stats.js';

const row = (name: string, migratedPct: number): DepartmentFigures => ({
  id: name,
  name,
  parentId: null,
  phase: 'volunteers',
  total: 10,
  counts: {},
  migratedPct,
});

describe('migration figures', () => {
  const rows = [row('Médiathèque', 12.5), row('Écoles', 40), row('Eaux', 40), row('Informatique', 100)];

  it('sorts departments by name in French order', () => {
    expect(sortDepartments(rows, 'name').map((r) => r.name)).toEqual(['Eaux', 'Écoles', 'Informatique', 'Médiathèque']);
  });

  it('sorts by percentage, ties by name', () => {
    expect(sortDepartments(rows, 'pct-desc').map((r) => r.name)).toEqual([
      'Informatique',
      'Eaux',
      'Écoles',
      'Médiathèque',
    ]);
    expect(sortDepartments(rows, 'pct-asc').map((r) => r.name)).toEqual([
      'Médiathèque',
      'Eaux',
      'Écoles',
      'Informatique',
    ]);
    expect(rows[0]?.name).toBe('Médiathèque'); // the input is left as it was
  });

  it('formats the hub percentage with the locale, one decimal at most', () => {
    // A no-break space before % in French (narrow or not, depending on the ICU version).
    expect(formatMigratedPct(33.3, 'fr-FR')).toMatch(/^33,3[\u00a0\u202f]%$/);
    expect(formatMigratedPct(100, 'fr-FR')).toMatch(/^100[\u00a0\u202f]%$/);
    expect(formatMigratedPct(0, 'fr-FR')).toMatch(/^0[\u00a0\u202f]%$/);
    expect(formatMigratedPct(33.3, 'en-GB')).toBe('33.3%');
    expect(formatMigratedPct(null, 'fr-FR')).toBe('—');
    expect(formatMigratedPct(Number.NaN, 'fr-FR')).toBe('—');
  });

  it('turns the daily snapshots into chart rows', () => {
    expect(
      trendRows([
        { day: '2026-12-01', counts: { windows: 2, migrated: 1 } },
        { day: '2026-12-02', counts: {} },
      ]),
    ).toEqual([
      { day: '2026-12-01', migrated: 1, exception: 0, pct: 33.3, total: 3 },
      { day: '2026-12-02', migrated: 0, exception: 0, pct: 0, total: 0 },
    ]);
  });
});
