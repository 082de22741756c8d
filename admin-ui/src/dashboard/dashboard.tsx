import { Alert, Box, Card, CardContent, Grid, Typography } from '@mui/material';
import { LinkBase, useTranslate } from 'react-admin';
import { ACTIVE_STATES, alertsWith } from '../alerts/alert.js';
import { useFormat } from '../format/use-format.js';
import { GlpiFailingBanner } from '../glpi/glpi-failing-banner.js';
import { CountTable } from './count-table.js';
import { useFleetOverview } from './use-fleet-overview.js';

function CountCard({
  label,
  value,
  to,
  testId,
}: {
  label: string;
  value: number | undefined;
  to: string;
  testId: string;
}) {
  const translate = useTranslate();
  const format = useFormat();
  return (
    <Card variant="outlined" sx={{ height: '100%' }} data-testid={testId}>
      <CardContent component={LinkBase} to={to} sx={{ display: 'block', color: 'inherit', textDecoration: 'none' }}>
        <Typography variant="body2" color="text.secondary">
          {translate(label)}
        </Typography>
        <Typography variant="h4" component="p" sx={{ fontWeight: 600 }}>
          {value === undefined ? '…' : format.number(value, 0)}
        </Typography>
      </CardContent>
    </Card>
  );
}

const devicesWith = (filter: Record<string, unknown>) =>
  `/devices?filter=${encodeURIComponent(JSON.stringify(filter))}`;

const k = (key: string) => `bascule.dashboard.${key}`;

/**
 * Home: the fleet overview as the hub aggregates it (`GET /fleet/overview`, GROUP BY in its
 * database); the browser only displays the counts and links each one to the filtered list.
 */
export function Dashboard() {
  const translate = useTranslate();
  const format = useFormat();
  const { data, error } = useFleetOverview();
  const unknown = (text: string | null) => text ?? translate(k('unknown'));
  const activeAlerts = data?.alertsByType.reduce((n, a) => n + a.open + a.acknowledged, 0);

  return (
    <Box sx={{ mt: 2 }}>
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>
        {translate(k('welcome'))}
      </Typography>
      {error && (
        <Alert severity="error" sx={{ mb: 2 }}>
          {translate(k('load_error'), { message: error.message })}
        </Alert>
      )}
      <GlpiFailingBanner />
      <Grid container spacing={2} sx={{ mb: 2 }}>
        <Grid size={{ xs: 6, md: 3 }}>
          <CountCard
            testId="count-devices"
            label={k('devices')}
            value={data?.devices.total}
            to="/devices?filter=%7B%7D"
          />
        </Grid>
        <Grid size={{ xs: 6, md: 3 }}>
          <CountCard
            testId="count-online"
            label={k('online')}
            value={data?.devices.online}
            to={devicesWith({ online: true })}
          />
        </Grid>
        <Grid size={{ xs: 6, md: 3 }}>
          <CountCard
            testId="count-offline"
            label={k('offline')}
            value={data?.devices.offline}
            to={devicesWith({ online: false })}
          />
        </Grid>
        <Grid size={{ xs: 6, md: 3 }}>
          <CountCard
            testId="count-alerts"
            label={k('active_alerts')}
            value={activeAlerts}
            to={alertsWith({ state: ACTIVE_STATES })}
          />
        </Grid>
      </Grid>
      {data && (
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, md: 6 }}>
            <CountTable
              testId="fleet-by-os"
              title={k('by_os')}
              countLabel={k('devices_column')}
              empty={k('no_devices')}
              rows={data.byOs.map((r) => ({
                key: r.os ?? '',
                label: unknown(r.os),
                count: r.count,
                to: r.os === null ? undefined : devicesWith({ os: r.os }),
              }))}
            />
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <CountTable
              testId="fleet-by-model"
              title={k('by_model')}
              countLabel={k('devices_column')}
              empty={k('no_devices')}
              rows={data.byModel.map((r) => ({
                key: r.model ?? '',
                label: unknown(r.model),
                count: r.count,
                to: r.model === null ? undefined : devicesWith({ model: r.model }),
              }))}
            />
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <CountTable
              testId="fleet-alerts-by-type"
              title={k('alerts_by_type')}
              countLabel={k('open_column')}
              extraLabel={k('acknowledged_column')}
              empty={k('no_alerts')}
              rows={data.alertsByType.map((r) => ({
                key: r.type,
                label: (
                  <>
                    {translate(`resources.alerts.types.${r.type}`, { _: r.type })}{' '}
                    <Typography component="span" variant="caption" color="text.secondary">
                      {translate(k('alert_devices'), { smart_count: r.devices, count: format.number(r.devices, 0) })}
                    </Typography>
                  </>
                ),
                count: r.open,
                extra: format.number(r.acknowledged, 0),
                to: alertsWith({ type: r.type, state: ACTIVE_STATES }),
              }))}
            />
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <CountTable
              testId="fleet-by-department"
              title={k('departments')}
              countLabel={k('devices_column')}
              extraLabel={k('online')}
              empty={k('no_departments')}
              rows={data.byDepartment.map((r) => ({
                key: r.department,
                label: r.department,
                count: r.count,
                extra: format.number(r.online, 0),
                to: devicesWith({ department: r.department }),
              }))}
            />
          </Grid>
        </Grid>
      )}
      {data && (
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 2 }}>
          {translate(k('generated'), { date: format.dateTime(data.generatedAt) })}
        </Typography>
      )}
    </Box>
  );
}
