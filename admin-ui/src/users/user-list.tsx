import { BooleanField, Datagrid, List, TextField } from 'react-admin';
import { DateField } from '../devices/date-field.js';
import { RoleField } from './role-field.js';

export function UserList() {
  return (
    <List sort={{ field: 'username', order: 'ASC' }} perPage={25}>
      <Datagrid rowClick="edit" bulkActionButtons={false}>
        <TextField source="username" sx={{ fontWeight: 500 }} />
        <RoleField source="role" />
        <BooleanField source="mustChangePassword" sortable={false} />
        <DateField source="createdAt" />
        <DateField source="lastLoginAt" relative />
      </Datagrid>
    </List>
  );
}
