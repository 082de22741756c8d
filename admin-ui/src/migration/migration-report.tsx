import DownloadIcon from '@mui/icons-material/Download';
import {
  Alert,
  Box,
  Button,
  LinearProgress,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import type { ReactNode } from 'react';
import { useTranslate } from 'react-admin';
import { useFormat } from '../format/use-format.js';
import { errorText } from '../registry/error-text.js';
import { MACHINE_STATUSES } from '../registry/registry.js';
import { DepartmentBars } from './department-bars.js';
import { dashboardCsvUrl, formatMigratedPct } from './migration-stats.js';
import { TrendChart } from './trend-chart.js';
import { useMigration } from './use-migration.js';

const k = (key: string) => `bascule.registry.migration.${key}`;

function Section({
  title,
  csv,
  printable,
  children,
  testId,
}: {
  title: string;
  csv?: Parameters<typeof dashboardCsvUrl>[0];
  printable: boolean;
  children: ReactNode;
  testId: string;
}) {
  const translate = useTranslate();
  return (
    <Paper variant="outlined" sx={{ p: 2, breakInside: 'avoid' }} component="section" data-testid={testId}>
      <Box sx={{ display: 'flex', alignItems: 'center', mb: 1 }}>
        <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, flex: 1 }}>
          {translate(title)}
        </Typography>
        {csv && !printable ? (
          <Button size="small" startIcon={<DownloadIcon />} href={dashboardCsvUrl(csv)} download className="no-print">
            {translate('bascule.registry.export_csv')}
          </Button>
        ) : null}
      </Box>
      {children}
    </Paper>
  );
}

function SimpleTable({ head, rows, testId }: { head: string[]; rows: ReactNode[][]; testId: string }) {
  return (
    <Table size="small" data-testid={testId}>
      <TableHead>
        <TableRow>
          {head.map((h, i) => (
            <TableCell key={h} align={i === 0 ? 'left' : 'right'}>
              {h}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: fixed rows computed once per render
          <TableRow key={i}>
            {r.map((c, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
              <TableCell key={j} align={j === 0 ? 'left' : 'right'}>
                {c}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * The migration's progress, as the hub aggregates it: the whole organisation, each department with its
 * sub-departments, statuses, phases, exceptions, the trend. The same content on screen and on paper.
 */
export function MigrationReport({ printable = false }: { printable?: boolean }) {
  const translate = useTranslate();
  const format = useFormat();
  const { dashboard, trend, volunteers } = useMigration();
  if (dashboard.error) return <Alert severity="error">{errorText(translate, dashboard.error)}</Alert>;
  if (!dashboard.data) return <LinearProgress />;
  const d = dashboard.data;
  const o = d.organisation;
  const n = (v: number | undefined) => format.number(v ?? 0, 0);
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Typography variant="body2" color="text.secondary">
        {translate(k('generated'), { date: format.dateTime(d.generatedAt) })}
      </Typography>
      {o.total === 0 ? <Alert severity="info">{translate(k('empty'))}</Alert> : null}
      <Section title={k('organisation')} csv="organisation" printable={printable} testId="migration-organisation">
        <Typography variant="h4" component="p" data-testid="migration-organisation-pct" data-pct={o.migratedPct}>
          {translate(k('organisation_pct'), { pct: formatMigratedPct(o.migratedPct, format.locale) })}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {translate(k('organisation_total'), { total: n(o.total), unassigned: n(o.unassigned) })}
        </Typography>
        {volunteers.data !== null && volunteers.data !== undefined ? (
          <Typography variant="body2" sx={{ mt: 1 }} data-testid="migration-volunteers">
            {translate(k('volunteers_waiting'), { count: n(volunteers.data) })}
          </Typography>
        ) : null}
      </Section>
      <Section title={k('by_department')} csv="departments" printable={printable} testId="migration-by-department">
        <DepartmentBars rows={d.departments} printable={printable} />
      </Section>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 2 }}>
        <Section title={k('by_status')} printable={printable} testId="migration-by-status">
          <SimpleTable
            testId="migration-status-table"
            head={[translate(k('status')), translate(k('count'))]}
            rows={MACHINE_STATUSES.map((s) => [translate(`bascule.registry.statuses.${s}`), n(o.counts[s])])}
          />
        </Section>
        <Section title={k('by_phase')} csv="phases" printable={printable} testId="migration-by-phase">
          <SimpleTable
            testId="migration-phase-table"
            head={[
              translate('resources.registry-departments.fields.phase'),
              translate(k('phase_departments')),
              translate(k('phase_machines')),
              translate(k('phase_migrated')),
            ]}
            rows={d.phases.map((p) => [
              translate(`bascule.registry.phases.${p.phase}`),
              n(p.departments),
              n(p.machines),
              n(p.migrated),
            ])}
          />
        </Section>
      </Box>
      <Section title={k('exceptions')} csv="exceptions" printable={printable} testId="migration-exceptions">
        {d.exceptions.length === 0 ? (
          <Typography variant="body2" color="text.secondary">
            {translate(k('no_exceptions'))}
          </Typography>
        ) : (
          <SimpleTable
            testId="migration-exception-table"
            head={[
              translate('resources.registry-machines.fields.exceptionReason'),
              translate(k('exception_count')),
              translate(k('exception_workaround')),
            ]}
            rows={d.exceptions.map((e) => [
              translate(`bascule.registry.reasons.${e.reason}`, { _: e.reason }),
              n(e.count),
              n(e.withWorkaround),
            ])}
          />
        )}
      </Section>
      <Section title={k('trend')} csv="trend" printable={printable} testId="migration-trend-section">
        <TrendChart points={trend.data ?? []} printable={printable} />
      </Section>
    </Box>
  );
}
