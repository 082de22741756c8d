import { Edit, useRecordContext } from 'react-admin';
import type { Policy } from './policy.js';
import { PolicyForm, toPolicyPayload } from './policy-form.js';

export function PolicyTitle() {
  const record = useRecordContext<Policy>();
  return <span>{record?.name ?? ''}</span>;
}

/** Pessimistic: the hub's field errors (`document.printers.1.uri`) show under their inputs. */
export function PolicyEdit() {
  return (
    <Edit title={<PolicyTitle />} mutationMode="pessimistic" transform={toPolicyPayload} redirect="show">
      <PolicyForm />
    </Edit>
  );
}
