import { Box, ToggleButton, ToggleButtonGroup, Typography, useTheme } from '@mui/material';
import { useState } from 'react';
import { useTranslate } from 'react-admin';
import { useFormat } from '../format/use-format.js';
import { type DepartmentFigures, type DepartmentSort, formatMigratedPct, sortDepartments } from './migration-stats.js';

/**
 * Migration % per department as horizontal bars (plain boxes: they print as they show). Each bar is the
 * share moved to Linux, never measured against a target.
 */
export function DepartmentBars({ rows, printable = false }: { rows: DepartmentFigures[]; printable?: boolean }) {
  const translate = useTranslate();
  const format = useFormat();
  const theme = useTheme();
  const [sort, setSort] = useState<DepartmentSort>('name');
  const sorted = sortDepartments(rows, sort, format.locale);
  const path = departmentPaths(rows);
  return (
    <Box>
      {printable ? null : (
        <ToggleButtonGroup
          size="small"
          exclusive
          value={sort}
          onChange={(_, v: DepartmentSort | null) => v && setSort(v)}
          sx={{ mb: 1 }}
          className="no-print"
        >
          <ToggleButton value="name">{translate('bascule.registry.migration.sort_name')}</ToggleButton>
          <ToggleButton value="pct-desc">{translate('bascule.registry.migration.sort_pct')}</ToggleButton>
        </ToggleButtonGroup>
      )}
      <Box component="ul" sx={{ listStyle: 'none', p: 0, m: 0 }} data-testid="migration-departments">
        {sorted.map((d) => (
          <Box
            component="li"
            key={d.id}
            data-testid="migration-department"
            data-name={d.name}
            data-pct={d.migratedPct}
            sx={{ display: 'grid', gridTemplateColumns: '220px 1fr 170px', gap: 1, alignItems: 'center', py: 0.5 }}
          >
            <Typography variant="body2" noWrap title={path.get(d.id)}>
              {d.name}
            </Typography>
            <Box
              sx={{
                height: 14,
                bgcolor: 'action.hover',
                borderRadius: 1,
                overflow: 'hidden',
                printColorAdjust: 'exact',
              }}
              role="img"
              aria-label={`${d.name} ${formatMigratedPct(d.migratedPct, format.locale)}`}
            >
              <Box
                sx={{
                  height: '100%',
                  width: `${Math.min(100, Math.max(0, d.migratedPct))}%`,
                  bgcolor: theme.palette.success.main,
                  printColorAdjust: 'exact',
                }}
              />
            </Box>
            <Typography variant="body2" sx={{ fontVariantNumeric: 'tabular-nums' }}>
              <strong data-testid="migration-department-pct">{formatMigratedPct(d.migratedPct, format.locale)}</strong>{' '}
              <Box component="span" sx={{ color: 'text.secondary' }}>
                (
                {translate('bascule.registry.migration.department_line', {
                  migrated: format.number(d.counts.migrated ?? 0, 0),
                  total: format.number(d.total, 0),
                })}
                )
              </Box>
            </Typography>
          </Box>
        ))}
      </Box>
    </Box>
  );
}

/** "Mairie › Écoles › École Jaurès" for each department, as a tooltip on its short name. */
function departmentPaths(rows: readonly DepartmentFigures[]): Map<string, string> {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out = new Map<string, string>();
  for (const r of rows) {
    const names: string[] = [];
    const seen = new Set<string>();
    for (
      let d: DepartmentFigures | undefined = r;
      d && !seen.has(d.id);
      d = d.parentId ? byId.get(d.parentId) : undefined
    ) {
      seen.add(d.id);
      names.unshift(d.name);
    }
    out.set(r.id, names.join(' › '));
  }
  return out;
}
