import { CreateButton, Datagrid, List, NumberField, TextField, TopToolbar, usePermissions } from 'react-admin';
import { DateField } from '../devices/date-field.js';

function GroupListActions() {
  const { permissions } = usePermissions();
  return <TopToolbar>{permissions === 'admin' ? <CreateButton /> : null}</TopToolbar>;
}

/** Every group (the hub sends them all, with their member count). */
export function GroupList() {
  return (
    <List actions={<GroupListActions />} pagination={false} perPage={1000} sort={{ field: 'name', order: 'ASC' }}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="name" sx={{ fontWeight: 500 }} sortable={false} />
        <TextField source="description" sortable={false} />
        <NumberField source="members" sortable={false} />
        <DateField source="createdAt" />
      </Datagrid>
    </List>
  );
}
