import {
  Datagrid,
  EditButton,
  Labeled,
  ListContextProvider,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
  useList,
  usePermissions,
  useRecordContext,
  useTranslate,
  WrapperField,
} from 'react-admin';
import { DateField } from '../devices/date-field.js';
import { OnlineChip } from '../devices/online-chip.js';
import type { GroupMember } from './group.js';
import { GroupTitle } from './group-edit.js';

function GroupShowActions() {
  const { permissions } = usePermissions();
  return <TopToolbar>{permissions === 'admin' ? <EditButton /> : null}</TopToolbar>;
}

function Members() {
  const record = useRecordContext<{ memberList?: GroupMember[] }>();
  const translate = useTranslate();
  const list = useList({ data: record?.memberList ?? [], sort: { field: 'hostname', order: 'ASC' } });
  return (
    <Labeled label={translate('resources.groups.fields.deviceIds')} fullWidth>
      <ListContextProvider value={list}>
        <Datagrid
          resource="devices"
          bulkActionButtons={false}
          rowClick={(id) => `/devices/${id}/show`}
          empty={<span>{translate('bascule.groups.no_members')}</span>}
        >
          <TextField source="hostname" />
          <TextField source="department" />
          <WrapperField source="online" label="resources.devices.fields.online">
            <OnlineChip />
          </WrapperField>
        </Datagrid>
      </ListContextProvider>
    </Labeled>
  );
}

export function GroupShow() {
  return (
    <Show title={<GroupTitle />} actions={<GroupShowActions />}>
      <SimpleShowLayout>
        <TextField source="name" />
        <TextField source="description" emptyText="—" />
        <DateField source="createdAt" />
        <Members />
      </SimpleShowLayout>
    </Show>
  );
}
