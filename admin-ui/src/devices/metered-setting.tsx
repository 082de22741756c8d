import { MenuItem, TextField } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useDataProvider, useNotify, usePermissions, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import type { BasculeDataProvider } from '../providers/data-provider.js';
import { type Device, METERED_SETTINGS, type MeteredSetting } from './device.js';

const k = (key: string) => `bascule.device.metered.${key}`;

/**
 * Metered mode as the hub sets it for this device (`PATCH /devices/{id}`): `auto` leaves it to the
 * agent; helpdesk and admins change it, viewers read it.
 */
export function MeteredSettingField() {
  const record = useRecordContext<Device>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { permissions } = usePermissions();
  const dataProvider = useDataProvider<BasculeDataProvider>();
  const mutation = useMutation({
    mutationFn: (metered: MeteredSetting) => dataProvider.setMetered(record?.id ?? '', metered),
    onSuccess: () => {
      notify(k('saved'), { type: 'success' });
      refresh();
    },
    onError: (error: Error) => notify(k('save_error'), { type: 'error', messageArgs: { message: error.message } }),
  });
  if (!record) return null;
  const value = record.metered ?? 'auto';
  const canChange = permissions === 'admin' || permissions === 'helpdesk';
  return (
    <TextField
      select
      size="small"
      variant="standard"
      value={value}
      disabled={!canChange || mutation.isPending}
      onChange={(e) => mutation.mutate(e.target.value as MeteredSetting)}
      slotProps={{ htmlInput: { 'aria-label': translate('resources.devices.fields.metered') } }}
      data-testid="metered-setting"
    >
      {METERED_SETTINGS.map((m) => (
        <MenuItem key={m} value={m}>
          {translate(k(m))}
        </MenuItem>
      ))}
    </TextField>
  );
}
