import {
  Datagrid,
  FunctionField,
  List,
  SearchInput,
  SelectInput,
  TextField,
  TextInput,
  useTranslate,
} from 'react-admin';
import { DateField } from './date-field.js';
import { DepartmentInput } from './department-input.js';
import type { Device } from './device.js';
import { DeviceEmpty } from './device-empty.js';
import { OnlineChip } from './online-chip.js';

/** The hub filters on a JSON boolean; the select works on strings. */
function OnlineInput(props: { source: string; alwaysOn?: boolean }) {
  return (
    <SelectInput
      {...props}
      choices={[
        { id: 'true', name: 'bascule.status.online' },
        { id: 'false', name: 'bascule.status.offline' },
      ]}
      emptyText="bascule.status.any"
      format={(v: unknown) => (v === true ? 'true' : v === false ? 'false' : '')}
      parse={(v: string) => (v === 'true' ? true : v === 'false' ? false : undefined)}
    />
  );
}

/** SearchInput does not translate its placeholder. */
function QueryInput(props: { source: string; alwaysOn?: boolean }) {
  const translate = useTranslate();
  return <SearchInput {...props} placeholder={translate('resources.devices.fields.q')} sx={{ minWidth: 280 }} />;
}

const filters = [
  <QueryInput key="q" source="q" alwaysOn />,
  <DepartmentInput key="department" source="department" alwaysOn />,
  <OnlineInput key="online" source="online" alwaysOn />,
  <TextInput key="os" source="os" />,
  <TextInput key="model" source="model" />,
];

/** Paging, sorting and filtering all happen on the hub (simple-rest `range`, `sort`, `filter`). */
export function DeviceList() {
  return (
    <List
      filters={filters}
      sort={{ field: 'hostname', order: 'ASC' }}
      perPage={25}
      // Online/offline and "last seen" move on their own: refresh while the list is open.
      queryOptions={{ refetchInterval: 30_000 }}
      empty={<DeviceEmpty />}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="hostname" sx={{ fontWeight: 500 }} />
        <TextField source="department" emptyText="—" />
        <FunctionField<Device>
          source="online"
          label="resources.devices.fields.online"
          render={() => <OnlineChip />}
          sortBy="online"
        />
        <TextField source="os" emptyText="—" />
        <TextField source="model" sortable={false} emptyText="—" />
        <DateField source="lastSeenAt" relative />
      </Datagrid>
    </List>
  );
}
