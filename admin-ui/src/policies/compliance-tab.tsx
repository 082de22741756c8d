import { Alert, Box, Chip } from '@mui/material';
import {
  Datagrid,
  FunctionField,
  ListContextProvider,
  TextField,
  useList,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { DateField } from '../devices/date-field.js';
import { ComplianceBar } from './compliance-bar.js';
import { PlanSteps } from './plan-steps.js';
import type { ComplianceStatus, Policy, PolicyCompliance } from './policy.js';
import { useDeviceCompliance, usePolicyCompliance } from './policy-api.js';

const statusColors: Record<ComplianceStatus, 'success' | 'error' | 'warning' | 'default'> = {
  applied: 'success',
  failed: 'error',
  invalid: 'error',
  drift: 'warning',
  pending: 'default',
};

export function StatusChip({ status }: { status: ComplianceStatus }) {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      color={statusColors[status] ?? 'default'}
      label={translate(`bascule.compliance.status.${status}`, { _: status })}
    />
  );
}

type Row = PolicyCompliance['rows'][number] & { id: string };

/** What the agent did on a failed device: the module's steps with their outcome. */
function FailureDetail({ policyId }: { policyId: Policy['id'] }) {
  const row = useRecordContext<Row>();
  const { data } = useDeviceCompliance(row?.deviceId ?? '');
  if (!row) return null;
  const module = data?.modules.find((m) => m.policyId === String(policyId));
  return (
    <Box sx={{ pl: 2 }}>
      {row.error ? <Alert severity="error">{row.error}</Alert> : null}
      <PlanSteps steps={module?.steps ?? []} />
    </Box>
  );
}

/** Devices whose configuration holds the policy, failures first, each failure with its error and steps. */
export function ComplianceTab() {
  const policy = useRecordContext<Policy>();
  const translate = useTranslate();
  const { data } = usePolicyCompliance(policy?.id);
  const order: ComplianceStatus[] = ['failed', 'invalid', 'drift', 'pending', 'applied'];
  const rows: Row[] = (data?.rows ?? [])
    .map((r) => ({ ...r, id: r.deviceId }))
    .sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status) || a.hostname.localeCompare(b.hostname));
  const list = useList({ data: rows, perPage: 1000 });
  if (!policy || !data) return null;
  return (
    <Box>
      <Box sx={{ mb: 2 }}>
        <ComplianceBar counts={data} total={data.devices} width={320} />
      </Box>
      <ListContextProvider value={list}>
        <Datagrid
          bulkActionButtons={false}
          resource="devices"
          expand={<FailureDetail policyId={policy.id} />}
          isRowExpandable={(r: Row) => r.status !== 'applied' && r.status !== 'pending'}
          empty={<Alert severity="info">{translate('bascule.compliance.no_devices')}</Alert>}
        >
          <TextField source="hostname" label="resources.devices.fields.hostname" />
          <FunctionField<Row> label="bascule.compliance.state" render={(r) => <StatusChip status={r.status} />} />
          <TextField source="policyRevision" label="bascule.policies.revision" />
          <TextField source="error" label="bascule.compliance.error" emptyText="—" />
          <DateField source="at" label="bascule.compliance.at" />
        </Datagrid>
      </ListContextProvider>
    </Box>
  );
}
