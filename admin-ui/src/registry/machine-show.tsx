import { Link as MuiLink, Typography } from '@mui/material';
import {
  FunctionField,
  Labeled,
  Show,
  SimpleShowLayout,
  TextField,
  usePermissions,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { Link } from 'react-router';
import { DateField } from '../devices/date-field.js';
import { DepartmentMove } from './department-move.js';
import type { RegistryMachine } from './registry.js';
import { StatusChip } from './status-chip.js';
import { StatusForm } from './status-form.js';

function LinkedDevice() {
  const machine = useRecordContext<RegistryMachine>();
  const translate = useTranslate();
  if (!machine) return null;
  if (!machine.deviceId) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('bascule.registry.machine.no_device')}
      </Typography>
    );
  }
  return (
    <MuiLink
      component={Link}
      to={`/devices/${encodeURIComponent(machine.deviceId)}/show`}
      data-testid="registry-linked-device"
    >
      {machine.deviceHostname ?? machine.deviceId}
    </MuiLink>
  );
}

function Reasons() {
  const machine = useRecordContext<RegistryMachine>();
  const translate = useTranslate();
  if (!machine) return null;
  if (machine.status === 'exception') {
    return (
      <Typography variant="body2" data-testid="registry-reason">
        {machine.exceptionReason ? translate(`bascule.registry.reasons.${machine.exceptionReason}`) : '—'}
        {machine.exceptionWorkaround ? ` — ${machine.exceptionWorkaround}` : ''}
      </Typography>
    );
  }
  if (machine.status === 'rolled-back') {
    return (
      <Typography variant="body2" data-testid="registry-reason">
        {machine.rollbackReason}
      </Typography>
    );
  }
  return null;
}

function StatusChange() {
  const machine = useRecordContext<RegistryMachine>();
  const { permissions } = usePermissions();
  if (!machine || (permissions !== 'admin' && permissions !== 'helpdesk')) return null;
  // Keyed by the saved state so that the form starts again from what the hub now holds.
  return <StatusForm key={`${machine.status}-${machine.updatedAt}`} machine={machine} />;
}

/** One registry machine: what the registry knows, the linked agent, the status and its reasons. */
export function MachineShow() {
  return (
    <Show>
      <SimpleShowLayout>
        <TextField source="hostname" emptyText="—" />
        <TextField source="serial" emptyText="—" />
        <FunctionField<RegistryMachine> source="macs" render={(m) => (m.macs.length ? m.macs.join(', ') : '—')} />
        <TextField source="department" emptyText="—" />
        <DepartmentMove />
        <TextField source="mainUser" emptyText="—" />
        <TextField source="os" emptyText="—" />
        <FunctionField<RegistryMachine> source="status" render={(m) => <StatusChip status={m.status} />} />
        <Labeled label="resources.registry-machines.fields.exceptionReason">
          <Reasons />
        </Labeled>
        <DateField source="statusChangedAt" />
        <Labeled label="resources.registry-machines.fields.deviceId">
          <LinkedDevice />
        </Labeled>
        <StatusChange />
      </SimpleShowLayout>
    </Show>
  );
}
