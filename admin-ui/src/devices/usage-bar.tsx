import { Box, LinearProgress, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { useFormat } from '../format/use-format.js';

/** "12,3 Go utilisés sur 15,5 Go" over a bar that turns orange above 80 % and red above 90 %. */
export function UsageBar({ label, used, total }: { label: string; used: number; total: number }) {
  const translate = useTranslate();
  const format = useFormat();
  const ratio = total > 0 ? Math.min(1, used / total) : 0;
  const color = ratio >= 0.9 ? 'error' : ratio >= 0.8 ? 'warning' : 'primary';
  return (
    <Box sx={{ mb: 1.5 }}>
      <Box sx={{ display: 'flex', justifyContent: 'space-between', gap: 2, mb: 0.5 }}>
        <Typography variant="body2" sx={{ fontWeight: 500, overflowWrap: 'anywhere' }}>
          {label}
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ whiteSpace: 'nowrap' }}>
          {translate('bascule.device.heartbeat.used_of', { used: format.bytes(used), total: format.bytes(total) })}
          {' · '}
          {format.percent(ratio)}
        </Typography>
      </Box>
      <LinearProgress
        variant="determinate"
        value={ratio * 100}
        color={color}
        aria-label={label}
        sx={{ height: 8, borderRadius: 4 }}
      />
    </Box>
  );
}
