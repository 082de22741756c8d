import { Alert } from '@mui/material';
import { ArrayInput, required, SimpleFormIterator, TextInput, useTranslate } from 'react-admin';

const T = 'bascule.policies.remote_apps';

/** One Windows application: the server, the program, the accounts, an optional RD Gateway. */
function RemoteAppInputs() {
  return (
    <>
      <TextInput source="id" label={`${T}.fields.id`} validate={required()} helperText={`${T}.id_help`} />
      <TextInput source="name" label={`${T}.fields.name`} validate={required()} helperText={`${T}.name_help`} />
      <TextInput source="server" label={`${T}.fields.server`} validate={required()} helperText={`${T}.server_help`} />
      <TextInput source="program" label={`${T}.fields.program`} helperText={`${T}.program_help`} fullWidth />
      <TextInput source="workingDir" label={`${T}.fields.workingDir`} helperText={false} />
      <TextInput source="domain" label={`${T}.fields.domain`} helperText={false} />
      <TextInput source="username" label={`${T}.fields.username`} helperText={`${T}.username_help`} />
      <TextInput source="gateway.server" label={`${T}.fields.gateway_server`} helperText={false} />
      <TextInput source="gateway.domain" label={`${T}.fields.gateway_domain`} helperText={false} />
      <TextInput source="gateway.username" label={`${T}.fields.gateway_username`} helperText={false} />
    </>
  );
}

/** A `remote-apps` policy: the accounts that get the profiles, and the Windows applications. */
export function RemoteAppsForm() {
  const translate = useTranslate();
  return (
    <>
      <Alert severity="info" sx={{ mb: 2 }}>
        {translate(`${T}.no_password`)}
      </Alert>
      <TextInput
        source="document.users"
        label={`${T}.fields.users`}
        helperText={`${T}.users_help`}
        multiline
        minRows={2}
        fullWidth
        validate={required()}
        // Kept as lines while typing; documentFor drops the empty ones.
        format={(v: unknown) => (Array.isArray(v) ? v.join('\n') : (v as string | undefined))}
        parse={(v: string) => v.split('\n')}
      />
      <ArrayInput source="document.apps" label={`${T}.fields.apps`}>
        <SimpleFormIterator inline disableReordering>
          <RemoteAppInputs />
        </SimpleFormIterator>
      </ArrayInput>
    </>
  );
}
