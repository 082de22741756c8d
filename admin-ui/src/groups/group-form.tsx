import { AutocompleteArrayInput, ReferenceArrayInput, required, SimpleForm, TextInput } from 'react-admin';

/** What the hub takes for a group, plus the members the data provider syncs. */
export const toGroupPayload = (data: Record<string, unknown>) => ({
  name: data.name,
  description: data.description ?? '',
  deviceIds: data.deviceIds ?? [],
});

/** Name, description and members (a device picker searching hostnames on the hub). */
export function GroupForm() {
  return (
    <SimpleForm sx={{ maxWidth: 720 }}>
      <TextInput source="name" validate={required()} fullWidth />
      <TextInput source="description" multiline fullWidth />
      <ReferenceArrayInput
        source="deviceIds"
        reference="devices"
        perPage={25}
        sort={{ field: 'hostname', order: 'ASC' }}
      >
        <AutocompleteArrayInput
          optionText="hostname"
          filterToQuery={(q: string) => ({ q })}
          helperText="bascule.groups.members_help"
          fullWidth
        />
      </ReferenceArrayInput>
    </SimpleForm>
  );
}
