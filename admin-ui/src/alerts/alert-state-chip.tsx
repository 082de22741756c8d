import { Chip } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import type { Alert, AlertState } from './alert.js';

const COLORS: Record<AlertState, 'error' | 'warning' | 'success'> = {
  open: 'error',
  acknowledged: 'warning',
  resolved: 'success',
};

export function AlertStateChip(_props: { label?: string; source?: string; sortable?: boolean }) {
  const record = useRecordContext<Alert>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Chip
      size="small"
      color={COLORS[record.state] ?? 'default'}
      variant={record.state === 'resolved' ? 'outlined' : 'filled'}
      label={translate(`resources.alerts.states.${record.state}`, { _: record.state })}
    />
  );
}
