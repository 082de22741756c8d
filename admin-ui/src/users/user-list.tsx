import { BooleanField, Datagrid, List, TextField } from 'react-admin';
import { DateField } from '../devices/date-field.js';
import { AccountSettingsCard } from './account-settings-card.js';
import { RoleField } from './role-field.js';

export function UserList() {
  return (
    <List sort={{ field: 'username', order: 'ASC' }} perPage={25} aside={<AccountSettingsCard />}>
      <Datagrid rowClick="edit" bulkActionButtons={false}>
        <TextField source="username" sx={{ fontWeight: 500 }} />
        <RoleField source="role" />
        <BooleanField source="mustChangePassword" sortable={false} />
        <BooleanField source="totpEnabled" sortable={false} />
        <DateField source="createdAt" />
        <DateField source="lastLoginAt" relative />
      </Datagrid>
    </List>
  );
}
