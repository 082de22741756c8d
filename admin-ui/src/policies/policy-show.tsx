import {
  Button,
  EditButton,
  FunctionField,
  Link,
  NumberField,
  ReferenceManyField,
  Show,
  TabbedShowLayout,
  TextField,
  TopToolbar,
  usePermissions,
  useRecordContext,
} from 'react-admin';
import { DateField } from '../devices/date-field.js';
import { RolloutDatagrid } from '../rollouts/rollout-list.js';
import { AssignmentsTab } from './assignments-tab.js';
import { ComplianceTab } from './compliance-tab.js';
import type { Policy } from './policy.js';
import { PolicyDocument } from './policy-document.js';
import { PolicyTitle } from './policy-edit.js';
import { ModuleChip } from './policy-list.js';
import { RevisionHistory } from './revision-history.js';

function StartRolloutButton() {
  const policy = useRecordContext<Policy>();
  if (!policy || policy.deployedRevision === policy.latestRevision) return null;
  return (
    <Button
      component={Link}
      to="/rollouts/create"
      state={{ record: { policyId: policy.id, revision: policy.latestRevision } }}
      label="bascule.rollouts.start"
    />
  );
}

function PolicyShowActions() {
  const { permissions } = usePermissions();
  if (permissions !== 'admin') return <TopToolbar />;
  return (
    <TopToolbar>
      <StartRolloutButton />
      <EditButton />
    </TopToolbar>
  );
}

export function PolicyShow() {
  return (
    <Show title={<PolicyTitle />} actions={<PolicyShowActions />}>
      <TabbedShowLayout>
        <TabbedShowLayout.Tab label="bascule.policies.tabs.summary">
          <FunctionField<Policy> source="module" render={(p) => <ModuleChip module={p.module} />} />
          <TextField source="name" />
          <TextField source="description" emptyText="—" />
          <NumberField source="priority" />
          <FunctionField<Policy>
            source="latestRevision"
            render={(p) => `${p.latestRevision} (${p.deployedRevision ?? '—'})`}
            label="bascule.policies.revision_and_deployed"
          />
          <DateField source="updatedAt" />
          <PolicyDocument />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="bascule.policies.tabs.revisions" path="revisions">
          <RevisionHistory />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="bascule.policies.tabs.assignments" path="assignments">
          <AssignmentsTab />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="bascule.policies.tabs.compliance" path="compliance">
          <ComplianceTab />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="bascule.policies.tabs.rollouts" path="rollouts">
          <ReferenceManyField reference="rollouts" target="policyId" label={false}>
            <RolloutDatagrid />
          </ReferenceManyField>
        </TabbedShowLayout.Tab>
      </TabbedShowLayout>
    </Show>
  );
}
