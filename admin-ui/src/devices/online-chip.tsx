import { Chip } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import type { Device } from './device.js';

/** "En ligne" (green) / "Hors ligne" (grey) from the device's retained MQTT status. */
export function OnlineChip() {
  const record = useRecordContext<Device>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Chip
      size="small"
      color={record.online ? 'success' : 'default'}
      variant={record.online ? 'filled' : 'outlined'}
      label={translate(record.online ? 'bascule.status.online' : 'bascule.status.offline')}
    />
  );
}
