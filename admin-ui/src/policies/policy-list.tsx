import { Chip } from '@mui/material';
import {
  CreateButton,
  Datagrid,
  FunctionField,
  List,
  NumberField,
  SelectInput,
  TextField,
  TopToolbar,
  useGetList,
  usePermissions,
  useTranslate,
} from 'react-admin';
import { DateField } from '../devices/date-field.js';
import { ComplianceBar } from './compliance-bar.js';
import type { ComplianceCounts, Policy } from './policy.js';
import { moduleChoices } from './policy-form.js';

const filters = [<SelectInput key="module" source="module" choices={moduleChoices} alwaysOn />];

function PolicyListActions() {
  const { permissions } = usePermissions();
  return <TopToolbar>{permissions === 'admin' ? <CreateButton /> : null}</TopToolbar>;
}

export function ModuleChip({ module }: { module: string }) {
  const translate = useTranslate();
  return (
    <Chip size="small" variant="outlined" label={translate(`bascule.policies.modules.${module}`, { _: module })} />
  );
}

/** Counted by the hub (`GET /compliance/policies`), one request for the whole page. */
function useComplianceByPolicy() {
  const { data } = useGetList<ComplianceCounts & { id: string }>('compliance/policies', {
    pagination: { page: 1, perPage: 1000 },
    sort: { field: 'name', order: 'ASC' },
  });
  return new Map((data ?? []).map((c) => [String(c.id), c]));
}

export function PolicyList() {
  const compliance = useComplianceByPolicy();
  const translate = useTranslate();
  return (
    <List actions={<PolicyListActions />} filters={filters} sort={{ field: 'name', order: 'ASC' }} perPage={25}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <FunctionField<Policy> source="module" render={(p) => <ModuleChip module={p.module} />} />
        <TextField source="name" sx={{ fontWeight: 500 }} />
        <FunctionField<Policy>
          source="latestRevision"
          sortable={false}
          render={(p) =>
            p.deployedRevision === p.latestRevision
              ? `${p.latestRevision}`
              : translate('bascule.policies.revision_vs_deployed', {
                  latest: p.latestRevision,
                  deployed: p.deployedRevision ?? '—',
                })
          }
        />
        <NumberField source="priority" />
        <FunctionField<Policy>
          source="assignments"
          sortable={false}
          render={(p) => translate('bascule.policies.assignment_count', { smart_count: p.assignments.length })}
        />
        <FunctionField<Policy>
          label="bascule.compliance.title"
          render={(p) => {
            const c = compliance.get(String(p.id));
            return c ? <ComplianceBar counts={c} total={c.devices} width={120} /> : null;
          }}
        />
        <DateField source="updatedAt" relative />
      </Datagrid>
    </List>
  );
}
