import { Alert, Box, Typography } from '@mui/material';
import {
  ArrayInput,
  AutocompleteInput,
  Form,
  FormDataConsumer,
  HttpError,
  NumberField,
  ReferenceField,
  ReferenceInput,
  required,
  SaveButton,
  SelectInput,
  SimpleFormIterator,
  useGetList,
  useNotify,
  usePermissions,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import type { Assignment, AssignmentKind, Policy } from './policy.js';
import { policyApi } from './policy-api.js';

const KINDS: AssignmentKind[] = ['everyone', 'department', 'group', 'device'];
const kindChoices = KINDS.map((id) => ({ id, name: `bascule.policies.assignments.kinds.${id}` }));

/** The target of one assignment, by name (department as is, group and device looked up). */
function AssignmentTarget({ assignment }: { assignment: Assignment }) {
  const record = { id: assignment.target ?? '', target: assignment.target };
  if (assignment.kind === 'group') {
    return <ReferenceField record={record} source="target" reference="groups" link="show" />;
  }
  if (assignment.kind === 'device') {
    return <ReferenceField record={record} source="target" reference="devices" link="show" />;
  }
  return <span>{assignment.target ?? ''}</span>;
}

function AssignmentList({ policy }: { policy: Policy }) {
  const translate = useTranslate();
  if (policy.assignments.length === 0) {
    return <Alert severity="info">{translate('bascule.policies.assignments.none')}</Alert>;
  }
  return (
    <Box component="ul" sx={{ pl: 2, my: 1 }}>
      {policy.assignments.map((a) => (
        <li key={`${a.kind}:${a.target ?? ''}`}>
          <strong>{translate(`bascule.policies.assignments.kinds.${a.kind}`)}</strong>
          {a.kind === 'everyone' ? null : ' : '}
          <AssignmentTarget assignment={a} />
        </li>
      ))}
    </Box>
  );
}

/** The target input for the assignment's kind: departments from the hub, groups and devices by name. */
function TargetInput({ kind }: { kind?: AssignmentKind }) {
  const { data: departments = [] } = useGetList('departments', { pagination: { page: 1, perPage: 1000 } });
  const label = 'bascule.policies.assignments.target';
  if (kind === 'department') {
    return <SelectInput source="target" label={label} choices={departments} optionValue="name" validate={required()} />;
  }
  if (kind === 'group') {
    return (
      <ReferenceInput source="target" reference="groups">
        <AutocompleteInput label={label} optionText="name" validate={required()} sx={{ minWidth: 260 }} />
      </ReferenceInput>
    );
  }
  if (kind === 'device') {
    return (
      <ReferenceInput source="target" reference="devices" sort={{ field: 'hostname', order: 'ASC' }}>
        <AutocompleteInput
          label={label}
          optionText="hostname"
          filterToQuery={(q: string) => ({ q })}
          validate={required()}
          sx={{ minWidth: 260 }}
        />
      </ReferenceInput>
    );
  }
  return null;
}

/** Replaces the whole list (`PUT /policies/{id}/assignments`); the hub's refusals show under each target. */
function AssignmentEditor({ policy }: { policy: Policy }) {
  const notify = useNotify();
  const refresh = useRefresh();
  const submit = async (values: Record<string, unknown>) => {
    const list = ((values.assignments as Assignment[] | undefined) ?? []).map((a) =>
      a.kind === 'everyone' ? { kind: a.kind } : { kind: a.kind, target: a.target },
    );
    try {
      await policyApi.setAssignments(policy.id, list);
      notify('bascule.policies.assignments.saved', { type: 'success' });
      refresh();
    } catch (error) {
      const errors =
        error instanceof HttpError ? (error.body?.errors as Record<string, string> | undefined) : undefined;
      if (errors && Object.keys(errors).length > 0) {
        // The hub keys them by index in the list it got (`1.target`); the form's field is `assignments.1.target`.
        return Object.fromEntries(Object.entries(errors).map(([k, v]) => [`assignments.${k}`, v]));
      }
      notify((error as Error).message, { type: 'error' });
    }
    return undefined;
  };
  return (
    <Form record={{ assignments: policy.assignments }} onSubmit={submit}>
      <ArrayInput source="assignments" label={false}>
        <SimpleFormIterator inline>
          <SelectInput
            source="kind"
            label="bascule.policies.assignments.kind"
            choices={kindChoices}
            validate={required()}
            defaultValue="group"
          />
          <FormDataConsumer<{ kind?: AssignmentKind }>>
            {({ scopedFormData }) => <TargetInput kind={scopedFormData?.kind} />}
          </FormDataConsumer>
        </SimpleFormIterator>
      </ArrayInput>
      <SaveButton label="bascule.policies.assignments.save" alwaysEnable />
    </Form>
  );
}

/** Who gets the policy, and how it ranks against others of the same module on the same device. */
export function AssignmentsTab() {
  const policy = useRecordContext<Policy>();
  const translate = useTranslate();
  const { permissions } = usePermissions();
  if (!policy) return null;
  return (
    <Box sx={{ maxWidth: 900 }}>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {translate('bascule.policies.assignments.precedence')}
      </Typography>
      <Typography variant="body2" component="div" sx={{ mb: 2 }}>
        {translate('resources.policies.fields.priority')} : <NumberField record={policy} source="priority" />
      </Typography>
      {permissions === 'admin' ? <AssignmentEditor policy={policy} /> : <AssignmentList policy={policy} />}
    </Box>
  );
}
