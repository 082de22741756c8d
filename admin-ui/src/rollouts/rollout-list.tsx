import {
  CreateButton,
  Datagrid,
  FunctionField,
  List,
  SelectInput,
  TextField,
  TopToolbar,
  usePermissions,
  useTranslate,
} from 'react-admin';
import { DateField } from '../devices/date-field.js';
import type { Rollout, RolloutState } from './rollout.js';
import { RolloutStateChip } from './rollout-state-chip.js';

const STATES: RolloutState[] = ['running', 'paused', 'halted', 'completed', 'rolled-back'];
const filters = [
  <SelectInput
    key="state"
    source="state"
    choices={STATES.map((id) => ({ id, name: `bascule.rollouts.states.${id}` }))}
    alwaysOn
  />,
];

function RolloutListActions() {
  const { permissions } = usePermissions();
  return <TopToolbar>{permissions === 'admin' ? <CreateButton label="bascule.rollouts.start" /> : null}</TopToolbar>;
}

/** The rollout columns, also used on a policy's page. */
export function RolloutDatagrid() {
  const translate = useTranslate();
  return (
    <Datagrid rowClick="show" resource="rollouts" bulkActionButtons={false}>
      <TextField source="policyName" sortable={false} />
      <FunctionField<Rollout>
        label="bascule.rollouts.revisions"
        render={(r) => `${r.fromRevision ?? '—'} → ${r.toRevision}`}
      />
      <RolloutStateChip source="state" />
      <FunctionField<Rollout>
        label="bascule.rollouts.ring"
        render={(r) => translate('bascule.rollouts.ring_of', { ring: r.currentRing + 1, total: r.rings.length })}
      />
      <DateField source="createdAt" />
      <TextField source="createdBy" sortable={false} />
    </Datagrid>
  );
}

export function RolloutList() {
  return (
    <List actions={<RolloutListActions />} filters={filters} pagination={false} perPage={1000}>
      <RolloutDatagrid />
    </List>
  );
}
