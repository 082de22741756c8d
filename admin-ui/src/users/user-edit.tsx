import {
  AutocompleteArrayInput,
  DeleteButton,
  Edit,
  required,
  SaveButton,
  SelectInput,
  SimpleForm,
  TextInput,
  Toolbar,
  useGetIdentity,
  useGetList,
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

/** The departments a helpdesk account is limited to; empty: every department. */
function DepartmentsInput() {
  const { data } = useGetList<{ id: string; name: string }>('departments', {
    pagination: { page: 1, perPage: 1000 },
    sort: { field: 'name', order: 'ASC' },
  });
  const choices = (data ?? []).map((d) => ({ id: d.name, name: d.name }));
  return (
    <AutocompleteArrayInput
      source="departments"
      choices={choices}
      onCreate={(name) => ({ id: name ?? '', name: name ?? '' })}
      helperText="bascule.users.departments_help"
      fullWidth
    />
  );
}

/**
 * The role and the department scope change (`PUT /users/{id}` takes `{role, departments}`); the user
 * sets their own password.
 */
export function UserEdit() {
  return (
    <Edit
      title={<UserTitle />}
      mutationMode="pessimistic"
      transform={(data) => ({
        role: data.role,
        departments: Array.isArray(data.departments) && data.departments.length > 0 ? data.departments : null,
      })}
    >
      <SimpleForm toolbar={<UserToolbar />} sx={{ maxWidth: 560 }}>
        <TextInput source="username" disabled fullWidth />
        <SelectInput
          source="role"
          choices={roleChoices}
          validate={required()}
          helperText="bascule.users.role_help"
          fullWidth
        />
        <DepartmentsInput />
        <UserTotpReset />
      </SimpleForm>
    </Edit>
  );
}
