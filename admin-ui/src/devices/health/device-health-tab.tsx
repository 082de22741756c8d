import {
  Alert,
  Box,
  Card,
  CardContent,
  CircularProgress,
  Grid,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useDataProvider, useRecordContext, useTranslate } from 'react-admin';
import { useFormat } from '../../format/use-format.js';
import type { BasculeDataProvider, HealthRange } from '../../providers/data-provider.js';
import type { Device } from '../device.js';
import { type ChartLine, HealthChart } from './health-chart.js';
import { HealthNow } from './health-now.js';
import {
  axisTickFormat,
  axisTicks,
  type ChartRow,
  chartRows,
  diskKey,
  diskMounts,
  hasValues,
} from './health-points.js';

/** One colour per mount point on the disk chart (MAX_DISK_LINES of them). */
const DISK_COLORS = ['#e65100', '#1565c0', '#2e7d32', '#6a1b9a', '#c62828', '#00838f', '#5d4037', '#ad1457'];

const k = (key: string) => `bascule.health.${key}`;
const RANGES: HealthRange[] = ['24h', '7d', '1y'];

interface ChartSpec {
  testId: string;
  title: string;
  lines: ChartLine[];
  domain: [number | 'auto', number | 'auto'];
  value: (v: number) => string;
  /** Drawn only when the device reports it (a sensor, a battery). */
  optional?: boolean;
}

/**
 * "Santé": the device's health over 24 h (raw samples), 7 days or a year (hourly roll-ups, with
 * their maxima dashed), and its state at the last heartbeat. Loaded lazily with recharts.
 */
export function DeviceHealthTab() {
  const record = useRecordContext<Device>();
  const translate = useTranslate();
  const format = useFormat();
  const dataProvider = useDataProvider<BasculeDataProvider>();
  const [range, setRange] = useState<HealthRange>('24h');
  const { data, error, isPending } = useQuery({
    queryKey: ['devices', 'health', record?.id, range],
    queryFn: () => dataProvider.getHealth(record?.id as string, range),
    enabled: record !== undefined,
    refetchInterval: range === '24h' ? 60_000 : false,
  });
  const rows = useMemo(() => (data ? chartRows(data.points, data.resolution) : []), [data]);
  const mounts = useMemo(() => (data ? diskMounts(data.points) : []), [data]);
  const tick = useMemo(() => axisTickFormat(range, format.locale), [range, format.locale]);
  if (!record) return null;

  const hourly = data?.resolution === 'hour';
  const percent = (v: number) => format.percent(v / 100);
  const xDomain: [number, number] = [Date.parse(data?.from ?? ''), Date.parse(data?.to ?? '')];
  const common = {
    rows,
    xDomain,
    ticks: axisTicks(xDomain[0], xDomain[1], range),
    tick,
    label: (t: number) => format.dateTime(new Date(t).toISOString()),
  };
  const avg = hourly ? k('average') : k('value');
  // Roll-ups carry the hour's maximum beside its average; raw samples have one value.
  const maxLine = (key: keyof ChartRow, color: string): ChartLine[] =>
    hourly ? [{ key, label: k('max'), color, dashed: true }] : [];
  const charts: ChartSpec[] = [
    {
      testId: 'chart-load',
      title: k('load'),
      lines: [{ key: 'load1', label: avg, color: '#1565c0' }, ...maxLine('load1Max', '#90caf9')],
      domain: [0, 'auto'],
      value: (v: number) => format.number(v),
    },
    {
      testId: 'chart-memory',
      title: k('memory'),
      lines: [{ key: 'memUsedPct', label: avg, color: '#2e7d32' }, ...maxLine('memUsedPctMax', '#a5d6a7')],
      domain: [0, 100],
      value: percent,
    },
    {
      testId: 'chart-swap',
      title: k('swap'),
      lines: [{ key: 'swapUsedPctMax', label: k('max'), color: '#6a1b9a' }],
      domain: [0, 100],
      value: percent,
    },
    {
      testId: 'chart-disk',
      title: k('disk'),
      // One line per mount point; roll-ups older than the hub's per-mount column only have the fullest disk.
      lines: mounts.length
        ? mounts.map((mount, i) => ({
            key: diskKey(mount),
            label: k('disk'),
            text: mount,
            color: DISK_COLORS[i % DISK_COLORS.length] as string,
          }))
        : [{ key: 'diskUsedPctMax', label: k('max'), color: '#e65100' }],
      domain: [0, 100],
      value: percent,
    },
    {
      testId: 'chart-temperature',
      title: k('temperature'),
      lines: [{ key: 'tempMaxC', label: k('max'), color: '#c62828' }],
      domain: ['auto', 'auto'],
      value: (v: number) => `${format.number(v, 0)} °C`,
      optional: true,
    },
    {
      testId: 'chart-battery',
      title: k('battery'),
      lines: [{ key: 'batteryPctMin', label: k('min'), color: '#00838f' }],
      domain: [0, 100],
      value: percent,
      optional: true,
    },
  ];

  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap', mb: 2 }}>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={range}
          onChange={(_, v: HealthRange | null) => v && setRange(v)}
          aria-label={translate(k('range'))}
        >
          {RANGES.map((r) => (
            <ToggleButton key={r} value={r}>
              {translate(k(`ranges.${r}`))}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        {data && (
          <Typography variant="caption" color="text.secondary">
            {translate(hourly ? k('resolution_hour') : k('resolution_raw'), {
              smart_count: data.points.length,
              count: format.number(data.points.length, 0),
            })}
          </Typography>
        )}
      </Box>
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, lg: 8 }}>
          {isPending ? (
            <CircularProgress size={24} />
          ) : error ? (
            <Alert severity="error">{translate(k('load_error'), { message: error.message })}</Alert>
          ) : rows.length === 0 ? (
            <Alert severity="info">{translate(k('no_samples'))}</Alert>
          ) : (
            <Grid container spacing={2}>
              {charts
                .filter((c) => !c.optional || c.lines.some((l) => hasValues(rows, l.key)))
                .map((c) => (
                  <Grid key={c.testId} size={{ xs: 12, md: 6 }}>
                    <HealthChart
                      {...common}
                      testId={c.testId}
                      title={c.title}
                      lines={c.lines}
                      domain={c.domain}
                      value={c.value}
                    />
                  </Grid>
                ))}
            </Grid>
          )}
        </Grid>
        <Grid size={{ xs: 12, lg: 4 }}>
          <Card variant="outlined">
            <CardContent>
              <HealthNow sample={record.lastHeartbeat} />
            </CardContent>
          </Card>
        </Grid>
      </Grid>
    </Box>
  );
}
