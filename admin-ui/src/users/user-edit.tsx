import {
  DeleteButton,
  Edit,
  required,
  SaveButton,
  SelectInput,
  SimpleForm,
  TextInput,
  Toolbar,
  useGetIdentity,
  useRecordContext,
} from 'react-admin';
import { roleChoices } from './roles.js';
import { UserTotpReset } from './user-totp-reset.js';

function UserTitle() {
  const record = useRecordContext<{ username: string }>();
  return <span>{record?.username ?? ''}</span>;
}

function UserToolbar() {
  const record = useRecordContext<{ id: string }>();
  const { identity } = useGetIdentity();
  // The hub refuses to delete the signed-in admin: do not offer it.
  const isSelf = identity !== undefined && record !== undefined && identity.id === record.id;
  return (
    <Toolbar sx={{ display: 'flex', justifyContent: 'space-between' }}>
      <SaveButton />
      {/* Pessimistic: a refusal from the hub must show before the row vanishes. */}
      {!isSelf && <DeleteButton mutationMode="pessimistic" />}
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
        <UserTotpReset />
      </SimpleForm>
    </Edit>
  );
}
