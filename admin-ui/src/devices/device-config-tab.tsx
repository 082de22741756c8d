import { Alert, Box } from '@mui/material';
import {
  Datagrid,
  FunctionField,
  Link,
  ListContextProvider,
  TextField,
  useList,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { StatusChip } from '../policies/compliance-tab.js';
import { PlanSteps } from '../policies/plan-steps.js';
import type { ModuleCompliance } from '../policies/policy.js';
import { useDeviceCompliance } from '../policies/policy-api.js';
import { DateField } from './date-field.js';
import type { Device } from './device.js';

type Row = ModuleCompliance & { id: string };

/** What the agent did for one module: its steps, and what it observed on the machine. */
function ModuleDetail() {
  const row = useRecordContext<Row>();
  if (!row) return null;
  return (
    <Box sx={{ pl: 2 }}>
      {row.error ? <Alert severity="error">{row.error}</Alert> : null}
      <PlanSteps steps={row.steps} />
    </Box>
  );
}

/**
 * The device's configuration as the hub computed it, module by module, with the agent's last report:
 * compliance per device (the policy page has it per policy).
 */
export function DeviceConfigTab() {
  const device = useRecordContext<Device>();
  const translate = useTranslate();
  const { data } = useDeviceCompliance(String(device?.id ?? ''));
  const rows: Row[] = (data?.modules ?? []).map((m) => ({ ...m, id: m.module }));
  const list = useList({ data: rows, perPage: 100 });
  if (!device || !data) return null;
  const refused = (data as { refused?: string | null }).refused;
  return (
    <Box>
      {refused ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {translate('bascule.compliance.refused', { reason: refused })}
        </Alert>
      ) : null}
      <ListContextProvider value={list}>
        <Datagrid
          bulkActionButtons={false}
          expand={<ModuleDetail />}
          isRowExpandable={(r: Row) => r.steps.length > 0 || Boolean(r.error)}
          empty={<Alert severity="info">{translate('bascule.compliance.no_modules')}</Alert>}
        >
          <FunctionField<Row>
            label="bascule.compliance.module"
            render={(r) => translate(`bascule.policies.modules.${r.module}`, { _: r.module })}
          />
          <FunctionField<Row>
            label="bascule.compliance.policy"
            render={(r) => (
              <Link
                to={`/policies/${encodeURIComponent(r.policyId)}/show`}
                onClick={(e: { stopPropagation(): void }) => e.stopPropagation()}
              >
                {r.policyName ?? r.policyId}
              </Link>
            )}
          />
          <TextField source="policyRevision" label="bascule.policies.revision" />
          <FunctionField<Row> label="bascule.compliance.state" render={(r) => <StatusChip status={r.status} />} />
          <TextField source="error" label="bascule.compliance.error" emptyText="—" />
          <DateField source="at" label="bascule.compliance.at" />
        </Datagrid>
      </ListContextProvider>
    </Box>
  );
}
