import { Chip } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { MachineStatus } from './registry.js';

const COLOURS: Record<MachineStatus, 'default' | 'info' | 'primary' | 'success' | 'warning' | 'secondary'> = {
  windows: 'default',
  candidate: 'info',
  scheduled: 'primary',
  migrated: 'success',
  exception: 'warning',
  'rolled-back': 'secondary',
};

/** A registry machine's migration status. */
export function StatusChip({ status }: { status: MachineStatus }) {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      color={COLOURS[status]}
      label={translate(`bascule.registry.statuses.${status}`)}
      data-testid="registry-status"
    />
  );
}
