import { Box, Typography } from '@mui/material';
import {
  Datagrid,
  DateTimeInput,
  FunctionField,
  List,
  TextField,
  TextInput,
  TopToolbar,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { DateField } from '../devices/date-field.js';
import { AuditExportButton } from './audit-export-button.js';

/** `GET /api/v1/audit` (docs/rest-api.md). */
export interface AuditEntry {
  id: number;
  ts: string;
  actor: string;
  action: string;
  target: string | null;
  detail: unknown;
  before: unknown;
  after: unknown;
}

const auditFilters = [
  <TextInput key="actor" source="actor" alwaysOn />,
  <TextInput key="action" source="action" alwaysOn />,
  <TextInput key="target" source="target" />,
  <DateTimeInput key="since" source="since" />,
  <DateTimeInput key="until" source="until" />,
];

const show = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v, null, 2));

/** The row's before/after and full detail, unfolded under it. */
function AuditDetail() {
  const record = useRecordContext<AuditEntry>();
  const translate = useTranslate();
  if (!record) return null;
  const cell = (label: string, value: unknown) => (
    <Box sx={{ flex: 1, minWidth: 0 }}>
      <Typography variant="subtitle2">{translate(label)}</Typography>
      <Box component="pre" sx={{ fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-word', m: 0 }}>
        {show(value)}
      </Box>
    </Box>
  );
  return (
    <Box sx={{ display: 'flex', gap: 2, p: 1 }}>
      {cell('resources.audit.fields.before', record.before)}
      {cell('resources.audit.fields.after', record.after)}
      {cell('resources.audit.fields.detail', record.detail)}
    </Box>
  );
}

/** Who changed what and when, newest first; filters on actor, action (prefix), target and dates. */
export function AuditList() {
  return (
    <List
      sort={{ field: 'id', order: 'DESC' }}
      perPage={50}
      filters={auditFilters}
      actions={
        <TopToolbar>
          <AuditExportButton />
        </TopToolbar>
      }
      exporter={false}
    >
      <Datagrid bulkActionButtons={false} expand={<AuditDetail />} rowClick="expand">
        <DateField source="ts" />
        <TextField source="actor" />
        <TextField source="action" sx={{ fontFamily: 'monospace' }} />
        <TextField source="target" emptyText="—" />
        <FunctionField
          source="after"
          sortable={false}
          render={(r: AuditEntry) =>
            r.before === null && r.after === null ? '' : `${show(r.before)} → ${show(r.after)}`.slice(0, 120)
          }
        />
      </Datagrid>
    </List>
  );
}
