import {
  AutocompleteInput,
  Datagrid,
  FunctionField,
  List,
  NullableBooleanInput,
  ReferenceInput,
  SelectInput,
  TextField,
  usePermissions,
} from 'react-admin';
import { DateField } from '../devices/date-field.js';
import { useFormat } from '../format/use-format.js';
import type { TerminalSession } from './terminal-session.js';
import { DeviceLinkField, DurationField, EndReasonField, ExitField, ViaField } from './terminal-session-fields.js';

function BytesField(_props: { label?: string; sortable?: boolean }) {
  const format = useFormat();
  return <FunctionField<TerminalSession> render={(r) => format.bytes(r.bytesOut)} />;
}

function useFilters() {
  const { permissions } = usePermissions();
  return [
    <ReferenceInput key="deviceId" source="deviceId" reference="devices" alwaysOn>
      <AutocompleteInput
        optionText="hostname"
        filterToQuery={(q: string) => ({ q })}
        label="resources.terminal-sessions.fields.deviceId"
        sx={{ minWidth: 240 }}
      />
    </ReferenceInput>,
    <SelectInput
      key="via"
      source="via"
      choices={[
        { id: 'ssh', name: 'bascule.terminal.via.ssh' },
        { id: 'web', name: 'bascule.terminal.via.web' },
      ]}
      emptyText="bascule.status.any"
      alwaysOn
    />,
    <NullableBooleanInput key="active" source="active" alwaysOn />,
    // Only admins may list accounts; the hub filters by user id.
    ...(permissions === 'admin'
      ? [
          <ReferenceInput key="userId" source="userId" reference="users">
            <AutocompleteInput optionText="username" label="resources.terminal-sessions.fields.userId" />
          </ReferenceInput>,
        ]
      : []),
  ];
}

/** Every terminal session, SSH and browser, newest first: the audit trail of remote shells. */
export function TerminalSessionList() {
  return (
    <List
      filters={useFilters()}
      sort={{ field: 'startedAt', order: 'DESC' }}
      perPage={25}
      queryOptions={{ refetchInterval: 15_000 }}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="username" sx={{ fontWeight: 500 }} />
        <DeviceLinkField source="hostname" label="resources.terminal-sessions.fields.hostname" sortBy="hostname" />
        <ViaField source="via" label="resources.terminal-sessions.fields.via" sortable={false} />
        <DateField source="startedAt" />
        <DurationField
          source="durationSeconds"
          label="resources.terminal-sessions.fields.durationSeconds"
          sortable={false}
        />
        <BytesField label="resources.terminal-sessions.fields.bytesOut" sortable={false} />
        <ExitField source="exitCode" label="resources.terminal-sessions.fields.exitCode" sortable={false} />
        <EndReasonField source="endReason" label="resources.terminal-sessions.fields.endReason" sortable={false} />
      </Datagrid>
    </List>
  );
}
