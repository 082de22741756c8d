import { Edit, useRecordContext } from 'react-admin';
import type { Group } from './group.js';
import { GroupForm, toGroupPayload } from './group-form.js';

export function GroupTitle() {
  const record = useRecordContext<Group>();
  return <span>{record?.name ?? ''}</span>;
}

/** Pessimistic: the hub's refusals (name taken) show under their field before leaving the page. */
export function GroupEdit() {
  return (
    <Edit title={<GroupTitle />} mutationMode="pessimistic" transform={toGroupPayload} redirect="show">
      <GroupForm />
    </Edit>
  );
}
