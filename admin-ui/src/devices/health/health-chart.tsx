import { Box, Typography, useTheme } from '@mui/material';
import { useTranslate } from 'react-admin';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartRow } from './health-points.js';

const SPARSE = 120;

export interface ChartLine {
  key: keyof ChartRow;
  /** i18n key of the legend. */
  label: string;
  /** The legend as it is (a mount point), instead of an i18n key. */
  text?: string;
  color: string;
  dashed?: boolean;
}

/** One health chart: time on x, lines on a shared y scale, breaks where the device was off. */
export function HealthChart({
  title,
  rows,
  lines,
  domain,
  xDomain,
  ticks,
  tick,
  label,
  value,
  testId,
}: {
  title: string;
  rows: ChartRow[];
  lines: ChartLine[];
  domain: [number | 'auto', number | 'auto'];
  xDomain: [number, number];
  ticks: number[];
  tick: (t: number) => string;
  label: (t: number) => string;
  value: (v: number) => string;
  testId: string;
}) {
  const translate = useTranslate();
  const theme = useTheme();
  return (
    <Box component="section" data-testid={testId} sx={{ mb: 1 }}>
      <Typography variant="subtitle2" component="h3" sx={{ fontWeight: 600, mb: 1 }}>
        {translate(title)}
      </Typography>
      <Box sx={{ width: '100%', height: 220 }}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke={theme.palette.divider} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={xDomain}
              ticks={ticks}
              allowDataOverflow
              tickFormatter={tick}
              fontSize={12}
              minTickGap={24}
            />
            <YAxis domain={domain} tickFormatter={value} fontSize={12} width={64} allowDecimals />
            <Tooltip
              labelFormatter={(t) => label(Number(t))}
              formatter={(v) => (typeof v === 'number' ? value(v) : '—')}
            />
            {lines.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
            {lines.map((line) => (
              <Line
                key={line.key}
                dataKey={line.key}
                name={line.text ?? translate(line.label)}
                stroke={line.color}
                strokeDasharray={line.dashed ? '4 3' : undefined}
                // A few samples (a device just enrolled, or mostly off) stay visible as dots.
                dot={rows.length <= SPARSE ? { r: 2 } : false}
                isAnimationActive={false}
                connectNulls={false}
                type="monotone"
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </Box>
    </Box>
  );
}
