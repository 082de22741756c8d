import { Alert, Box, Card, CardContent, Stack, Typography } from '@mui/material';
import {
  Datagrid,
  FunctionField,
  Link,
  ListContextProvider,
  Show,
  TextField,
  TopToolbar,
  useList,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { DateField } from '../devices/date-field.js';
import { useFormat } from '../format/use-format.js';
import { StatusChip } from '../policies/compliance-tab.js';
import type { ComplianceStatus } from '../policies/policy.js';
import { RingProgressCard } from './ring-progress.js';
import type { Rollout } from './rollout.js';
import { RolloutActions } from './rollout-actions.js';
import { RolloutStateChip } from './rollout-state-chip.js';

function RolloutTitle() {
  const r = useRecordContext<Rollout>();
  const translate = useTranslate();
  return <span>{r ? translate('bascule.rollouts.title', { policy: r.policyName, revision: r.toRevision }) : ''}</span>;
}

function Summary() {
  const r = useRecordContext<Rollout>();
  const translate = useTranslate();
  const format = useFormat();
  if (!r) return null;
  const plan = r.plan;
  return (
    <Card variant="outlined">
      <CardContent>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', mb: 1 }}>
          <RolloutStateChip />
          <Link to={`/policies/${encodeURIComponent(r.policyId)}/show`}>{r.policyName}</Link>
          <Typography variant="body2">
            {translate('bascule.rollouts.from_to', { from: r.fromRevision ?? '—', to: r.toRevision })}
          </Typography>
        </Stack>
        {r.reason ? (
          <Alert severity={r.state === 'halted' ? 'error' : 'info'} sx={{ mb: 1 }}>
            {r.reason}
          </Alert>
        ) : null}
        <Typography variant="body2" color="text.secondary">
          {translate(plan.autoAdvance ? 'bascule.rollouts.plan_auto' : 'bascule.rollouts.plan_manual', {
            soak: plan.soakMinutes,
            rate: format.percent(plan.maxFailureRate),
          })}
        </Typography>
        {r.state === 'running' && plan.autoAdvance ? (
          <Typography variant="body2" color="text.secondary">
            {translate('bascule.rollouts.soak_ends', { at: format.dateTime(r.soakEndsAt) })}
          </Typography>
        ) : null}
        <Typography variant="body2" color="text.secondary">
          {translate('bascule.rollouts.started_by', { who: r.createdBy, at: format.dateTime(r.createdAt) })}
        </Typography>
      </CardContent>
    </Card>
  );
}

type Failure = Rollout['failures'][number] & { id: string };

/** Devices that failed (or drifted) in the reached rings, with the error their agent reported. */
function Failures() {
  const r = useRecordContext<Rollout>();
  const translate = useTranslate();
  const list = useList<Failure>({ data: (r?.failures ?? []).map((f) => ({ ...f, id: f.deviceId })), perPage: 1000 });
  if (!r || r.failures.length === 0) return null;
  return (
    <Card variant="outlined">
      <CardContent>
        <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
          {translate('bascule.rollouts.failures', { smart_count: r.failures.length })}
        </Typography>
        <ListContextProvider value={list}>
          <Datagrid bulkActionButtons={false} resource="devices" rowClick={(id) => `/devices/${id}/show`}>
            <TextField source="hostname" label="resources.devices.fields.hostname" />
            <FunctionField<Failure> label="bascule.rollouts.ring" render={(f) => f.ring + 1} />
            <FunctionField<Failure>
              label="bascule.compliance.state"
              render={(f) => <StatusChip status={f.status as ComplianceStatus} />}
            />
            <TextField source="error" label="bascule.compliance.error" emptyText="—" />
            <DateField source="at" label="bascule.compliance.at" />
          </Datagrid>
        </ListContextProvider>
      </CardContent>
    </Card>
  );
}

/** Follows a rollout: refreshed every 3 s while it is running, so the bars move by themselves. */
export function RolloutShow() {
  return (
    <Show
      title={<RolloutTitle />}
      actions={
        <TopToolbar>
          <RolloutActions />
        </TopToolbar>
      }
      queryOptions={{
        refetchInterval: (query: { state: { data?: Rollout } }) =>
          query.state.data?.state === 'running' ? 3_000 : false,
      }}
    >
      <Box sx={{ display: 'grid', gap: 2, p: 2 }}>
        <Summary />
        <RingProgressCard />
        <Failures />
      </Box>
    </Show>
  );
}
