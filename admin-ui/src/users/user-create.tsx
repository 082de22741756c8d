import {
  Create,
  PasswordInput,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
  useNotify,
  useRedirect,
  type Validator,
} from 'react-admin';
import { roleChoices } from './roles.js';

/** Counts characters as people do (code points), like the hub's policy. */
export const passwordPolicy: Validator = (value: unknown) => {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  const count = [...value].length;
  return count < 15 ? { message: 'bascule.password.too_short', args: { count } } : undefined;
};

/** The hub takes exactly `{username, role, password}` and answers 400 with field errors. */
const toPayload = (data: Record<string, unknown>) => ({
  username: data.username,
  role: data.role,
  password: data.password,
});

export function UserCreate() {
  const notify = useNotify();
  const redirect = useRedirect();
  return (
    <Create
      transform={toPayload}
      mutationOptions={{
        onSuccess: () => {
          notify('bascule.users.created', { type: 'success' });
          redirect('list', 'users');
        },
      }}
    >
      <SimpleForm defaultValues={{ role: 'viewer' }} sx={{ maxWidth: 560 }}>
        <TextInput source="username" validate={required()} autoComplete="off" fullWidth />
        <SelectInput
          source="role"
          choices={roleChoices}
          validate={required()}
          helperText="bascule.users.role_help"
          fullWidth
        />
        <PasswordInput
          source="password"
          validate={[required(), passwordPolicy]}
          helperText="bascule.password.hint"
          autoComplete="new-password"
          fullWidth
        />
      </SimpleForm>
    </Create>
  );
}
