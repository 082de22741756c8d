import { Chip } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import type { Rollout, RolloutState } from './rollout.js';

const colors: Record<RolloutState, 'primary' | 'warning' | 'error' | 'success' | 'default'> = {
  running: 'primary',
  paused: 'warning',
  halted: 'error',
  completed: 'success',
  'rolled-back': 'default',
};

/** The rollout's state as a badge: running, paused, halted, completed, rolled back. */
export function RolloutStateChip(_props: { source?: string; label?: string }) {
  const record = useRecordContext<Rollout>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Chip
      size="small"
      color={colors[record.state] ?? 'default'}
      data-state={record.state}
      label={translate(`bascule.rollouts.states.${record.state}`, { _: record.state })}
    />
  );
}
