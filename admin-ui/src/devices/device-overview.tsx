import { Alert, Card, CardContent, Grid, Typography } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import { useFormat } from '../format/use-format.js';
import type { Device } from './device.js';
import { HeartbeatCard } from './heartbeat-card.js';
import { MeteredSettingField } from './metered-setting.js';
import { OnlineChip } from './online-chip.js';
import { PropertyList } from './property-list.js';

const f = (field: string) => `resources.devices.fields.${field}`;

/** "Aperçu": who the device is, and how it was doing at its last heartbeat. */
export function DeviceOverview() {
  const record = useRecordContext<Device>();
  const translate = useTranslate();
  const format = useFormat();
  if (!record) return null;
  return (
    <>
      {record.cloneOf && (
        <Alert severity="warning" sx={{ mb: 2 }}>
          {translate('bascule.device.clone_warning', { id: record.cloneOf })}
        </Alert>
      )}
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 6 }}>
          <Card variant="outlined">
            <CardContent>
              <Typography variant="h6" component="h2" sx={{ fontSize: '1.05rem', fontWeight: 600, mb: 2 }}>
                {translate('bascule.device.identity')}
              </Typography>
              <PropertyList
                items={[
                  { label: f('hostname'), value: record.hostname },
                  { label: f('online'), value: <OnlineChip /> },
                  { label: f('department'), value: record.department },
                  { label: f('os'), value: record.os },
                  { label: f('kernel'), value: record.kernel },
                  { label: f('model'), value: record.model },
                  { label: f('serial'), value: record.serial },
                  { label: f('agentVersion'), value: record.agentVersion },
                  { label: f('metered'), value: <MeteredSettingField /> },
                  { label: f('enrolledAt'), value: format.dateTime(record.enrolledAt) },
                  {
                    label: f('lastSeenAt'),
                    value: record.lastSeenAt
                      ? `${format.dateTime(record.lastSeenAt)} (${format.relative(record.lastSeenAt)})`
                      : undefined,
                  },
                  { label: f('id'), value: <code>{record.id}</code> },
                ]}
              />
            </CardContent>
          </Card>
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <HeartbeatCard sample={record.lastHeartbeat} />
        </Grid>
      </Grid>
    </>
  );
}
