import { Box, Card, CardContent, Chip, Typography } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import { useFormat } from '../format/use-format.js';
import { ComplianceBar } from '../policies/compliance-bar.js';
import type { RingProgress, Rollout } from './rollout.js';

function RingLine({ ring, current, rollout }: { ring: RingProgress; current: boolean; rollout: Rollout }) {
  const translate = useTranslate();
  const format = useFormat();
  const name =
    ring.ring.kind === 'group'
      ? translate('bascule.rollouts.ring_group', { name: ring.groupName ?? ring.ring.group })
      : translate('bascule.rollouts.ring_percent', { percent: ring.ring.percent });
  const tooHigh = ring.devices > 0 && ring.failureRate >= rollout.plan.maxFailureRate && ring.failed > 0;
  return (
    <Box
      data-ring={ring.index}
      sx={{ py: 1.5, borderBottom: 1, borderColor: 'divider', opacity: ring.reached ? 1 : 0.6 }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 0.5, flexWrap: 'wrap' }}>
        <Typography variant="body2" sx={{ fontWeight: 600, minWidth: 28 }}>
          {ring.index + 1}.
        </Typography>
        <Typography variant="body2" sx={{ fontWeight: 500 }}>
          {name}
        </Typography>
        {current ? (
          <Chip size="small" color="primary" variant="outlined" label={translate('bascule.rollouts.current')} />
        ) : null}
        {!ring.reached ? (
          <Chip size="small" variant="outlined" label={translate('bascule.rollouts.not_reached')} />
        ) : null}
        <Typography variant="caption" color={tooHigh ? 'error' : 'text.secondary'} sx={{ ml: 'auto' }}>
          {translate('bascule.rollouts.ring_summary', {
            devices: ring.devices,
            applied: ring.applied,
            failed: ring.failed,
            pending: ring.pending,
            rate: format.percent(ring.failureRate),
          })}
        </Typography>
      </Box>
      <ComplianceBar
        counts={ring.reached ? ring : {}}
        total={ring.devices}
        width="100%"
        label={translate('bascule.rollouts.ring_bar', { ring: ring.index + 1 })}
      />
    </Box>
  );
}

/** One bar per ring: applied / failed / pending of the ring's devices. */
export function RingProgressCard() {
  const rollout = useRecordContext<Rollout>();
  const translate = useTranslate();
  if (!rollout) return null;
  return (
    <Card variant="outlined">
      <CardContent>
        <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
          {translate('bascule.rollouts.progress')}
        </Typography>
        {rollout.rings.map((ring) => (
          <RingLine
            key={ring.index}
            ring={ring}
            rollout={rollout}
            current={
              ring.index === rollout.currentRing && rollout.state !== 'completed' && rollout.state !== 'rolled-back'
            }
          />
        ))}
      </CardContent>
    </Card>
  );
}
