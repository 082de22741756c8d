import { Box, Tooltip, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';

/** Colours by outcome, shared with the rollout rings. */
export const STATUS_COLORS = {
  applied: 'success.main',
  failed: 'error.main',
  drift: 'warning.main',
  pending: 'grey.400',
} as const;

type Part = keyof typeof STATUS_COLORS;
const PARTS: Part[] = ['applied', 'failed', 'drift', 'pending'];

/**
 * A thin stacked bar (applied / failed / drift / pending over `total`) with the numbers beside it.
 * `total` may exceed the sum (devices of a ring not reached yet).
 */
export function ComplianceBar({
  counts,
  total,
  width = 160,
  label,
}: {
  counts: Partial<Record<Part, number>>;
  total: number;
  width?: number | string;
  label?: string;
}) {
  const translate = useTranslate();
  const text = PARTS.map((p) => `${translate(`bascule.compliance.status.${p}`)} ${counts[p] ?? 0}`).join(' · ');
  return (
    <Tooltip title={text}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }} aria-label={label ?? text}>
        <Box
          sx={{
            display: 'flex',
            width,
            height: 8,
            borderRadius: 4,
            overflow: 'hidden',
            bgcolor: 'grey.200',
            flexShrink: 0,
          }}
        >
          {PARTS.map((p) =>
            total > 0 && (counts[p] ?? 0) > 0 ? (
              <Box
                key={p}
                data-part={p}
                sx={{ width: `${((counts[p] ?? 0) / total) * 100}%`, bgcolor: STATUS_COLORS[p] }}
              />
            ) : null,
          )}
        </Box>
        <Typography variant="caption" color="text.secondary" sx={{ whiteSpace: 'nowrap' }}>
          {PARTS.map((p) => counts[p] ?? 0).join(' / ')}
        </Typography>
      </Box>
    </Tooltip>
  );
}
