import { Box, Typography, useTheme } from '@mui/material';
import { useTranslate } from 'react-admin';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useFormat } from '../format/use-format.js';
import { formatMigratedPct, type TrendPoint, trendRows } from './migration-stats.js';

/** The share moved to Linux day by day, from the hub's daily snapshots (recharts, as the health charts). */
export function TrendChart({ points, printable = false }: { points: TrendPoint[]; printable?: boolean }) {
  const translate = useTranslate();
  const format = useFormat();
  const theme = useTheme();
  const rows = trendRows(points);
  if (rows.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('bascule.registry.migration.no_trend')}
      </Typography>
    );
  }
  const day = (d: string) =>
    new Intl.DateTimeFormat(format.locale, { day: '2-digit', month: '2-digit', timeZone: 'UTC' }).format(new Date(d));
  const chart = (
    <LineChart
      data={rows}
      margin={{ top: 4, right: 16, bottom: 0, left: 0 }}
      width={printable ? 680 : undefined}
      height={printable ? 220 : undefined}
    >
      <CartesianGrid strokeDasharray="3 3" stroke={theme.palette.divider} />
      <XAxis dataKey="day" tickFormatter={day} fontSize={12} />
      <YAxis
        domain={[0, 100]}
        tickFormatter={(v: number) => formatMigratedPct(v, format.locale)}
        fontSize={12}
        width={56}
      />
      {printable ? null : (
        <Tooltip
          labelFormatter={(d) => day(String(d))}
          formatter={(v) => [
            formatMigratedPct(Number(v), format.locale),
            translate('bascule.registry.migration.trend_pct'),
          ]}
        />
      )}
      <Line
        type="monotone"
        dataKey="pct"
        stroke={theme.palette.success.main}
        strokeWidth={2}
        dot={rows.length < 30}
        isAnimationActive={!printable}
      />
    </LineChart>
  );
  return (
    <Box sx={{ width: '100%', height: 220 }} data-testid="migration-trend">
      {printable ? (
        chart
      ) : (
        <ResponsiveContainer width="100%" height="100%">
          {chart}
        </ResponsiveContainer>
      )}
    </Box>
  );
}
