import { Alert, Box, MenuItem, TextField as MuiTextField } from '@mui/material';
import { useState } from 'react';
import {
  Datagrid,
  FunctionField,
  ListContextProvider,
  useGetList,
  useList,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { DateField } from './date-field.js';
import type { Device } from './device.js';

interface DeviceEventRow {
  id: string;
  type: string;
  ts: string;
  receivedAt: string;
  data: unknown;
}

/** The newest events; the full list is in the API (GET /devices/{id}/events). */
const PAGE = 100;
const PREFIXES = ['', 'antivirus.'] as const;

/** What the device reported on `event` (GET /devices/{id}/events), newest first, filtered by module. */
export function DeviceEventsTab() {
  const device = useRecordContext<Device>();
  const translate = useTranslate();
  const [prefix, setPrefix] = useState<string>('');
  const { data, isPending } = useGetList<DeviceEventRow>(
    `devices/${encodeURIComponent(String(device?.id ?? ''))}/events`,
    {
      pagination: { page: 1, perPage: PAGE },
      sort: { field: 'ts', order: 'DESC' },
      filter: prefix ? { typePrefix: prefix } : {},
    },
    { enabled: Boolean(device), refetchInterval: 15_000 },
  );
  const list = useList({ data: data ?? [], perPage: PAGE });
  if (!device) return null;
  return (
    <Box>
      <MuiTextField
        select
        size="small"
        label={translate('bascule.events.type')}
        value={prefix}
        onChange={(e) => {
          setPrefix(e.target.value);
        }}
        sx={{ mb: 2, minWidth: 200 }}
      >
        {PREFIXES.map((p) => (
          <MenuItem key={p} value={p}>
            {p
              ? translate(`bascule.policies.modules.${p.slice(0, -1)}`, { _: p.slice(0, -1) })
              : translate('bascule.events.all_types')}
          </MenuItem>
        ))}
      </MuiTextField>
      {!isPending && (data ?? []).length === 0 ? (
        <Alert severity="info">{translate('bascule.events.none')}</Alert>
      ) : (
        <ListContextProvider value={list}>
          <Datagrid bulkActionButtons={false} rowClick={false}>
            <DateField source="ts" label="bascule.events.ts" />
            <FunctionField<DeviceEventRow>
              label="bascule.events.type"
              render={(r) => translate(`bascule.events.types.${r.type.replaceAll('.', '_')}`, { _: r.type })}
            />
            <FunctionField<DeviceEventRow>
              label="bascule.events.detail"
              render={(r) => <code style={{ fontSize: '0.75rem' }}>{JSON.stringify(r.data).slice(0, 300)}</code>}
            />
          </Datagrid>
        </ListContextProvider>
      )}
    </Box>
  );
}
