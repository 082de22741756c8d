import {
  DeleteButton,
  Edit,
  required,
  SaveButton,
  SelectInput,
  SimpleForm,
  TextInput,
  Toolbar,
  useRecordContext,
} from 'react-admin';
import { roleChoices } from './roles.js';

function UserTitle() {
  const record = useRecordContext<{ username: string }>();
  return <span>{record?.username ?? ''}</span>;
}

function UserToolbar() {
  return (
    <Toolbar sx={{ display: 'flex', justifyContent: 'space-between' }}>
      <SaveButton />
      {/* Pessimistic: the hub refuses to delete the signed-in admin, and that must show before the row vanishes. */}
      <DeleteButton mutationMode="pessimistic" />
    </Toolbar>
  );
}

/** Only the role can change (`PUT /users/{id}` takes `{role}`); the user sets their own password. */
export function UserEdit() {
  return (
    <Edit title={<UserTitle />} mutationMode="pessimistic" transform={(data) => ({ role: data.role })}>
      <SimpleForm toolbar={<UserToolbar />} sx={{ maxWidth: 560 }}>
        <TextInput source="username" disabled fullWidth />
        <SelectInput
          source="role"
          choices={roleChoices}
          validate={required()}
          helperText="bascule.users.role_help"
          fullWidth
        />
      </SimpleForm>
    </Edit>
  );
}
