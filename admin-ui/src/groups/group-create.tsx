import { Create } from 'react-admin';
import { GroupForm, toGroupPayload } from './group-form.js';

export function GroupCreate() {
  return (
    <Create transform={toGroupPayload} redirect="show">
      <GroupForm />
    </Create>
  );
}
