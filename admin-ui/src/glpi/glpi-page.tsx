import {
  Alert,
  Card,
  CardContent,
  Chip,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { LinkBase, Title, useTranslate } from 'react-admin';
import { useFormat } from '../format/use-format.js';
import { failingCount, type GlpiDeviceState, glpiDeviceState } from './glpi-status.js';
import { useGlpiStatus } from './use-glpi-status.js';

export const GLPI_PATH = '/glpi';

const k = (key: string) => `bascule.glpi.${key}`;

const STATE_COLOR: Record<GlpiDeviceState, 'error' | 'warning' | 'success'> = {
  failing: 'error',
  waiting: 'warning',
  sent: 'success',
};

/**
 * GLPI forwarding (`serve --glpi-url`): whether it is on, what waits, and per device the last success
 * and the last failure with GLPI's answer, so that a failure is seen without reading the hub's log.
 */
export function GlpiPage() {
  const translate = useTranslate();
  const format = useFormat();
  const { data, error } = useGlpiStatus();
  const failing = failingCount(data);
  return (
    <Stack spacing={2} sx={{ mt: 2 }} data-testid="glpi-page">
      <Title title={k('title')} />
      {error && <Alert severity="error">{translate(k('load_error'), { message: error.message })}</Alert>}
      {data && !data.configured && (
        <Alert severity="info" data-testid="glpi-off">
          {translate(k('not_configured'))}
        </Alert>
      )}
      {data?.configured && (
        <Card variant="outlined">
          <CardContent>
            <Typography variant="body1" data-testid="glpi-url">
              {translate(k('forwarding_to'), { url: data.url ?? '' })}
            </Typography>
            <Typography variant="body2" color="text.secondary" data-testid="glpi-queue">
              {translate(k('queue'), { smart_count: data.queueLength })}
            </Typography>
            {failing > 0 && (
              <Alert severity="error" sx={{ mt: 1 }} data-testid="glpi-failing">
                {translate(k('failing_summary'), { smart_count: failing })}
              </Alert>
            )}
          </CardContent>
        </Card>
      )}
      {data && data.devices.length > 0 && (
        <Card variant="outlined">
          <Table size="small" data-testid="glpi-devices">
            <TableHead>
              <TableRow>
                <TableCell>{translate(k('device'))}</TableCell>
                <TableCell>{translate(k('state'))}</TableCell>
                <TableCell>{translate(k('last_success'))}</TableCell>
                <TableCell>{translate(k('last_failure'))}</TableCell>
                <TableCell>{translate(k('error'))}</TableCell>
                <TableCell>{translate(k('next_attempt'))}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.devices.map((d) => {
                const state = glpiDeviceState(d);
                return (
                  <TableRow key={d.deviceId} data-testid={`glpi-device-${d.deviceId}`}>
                    <TableCell>
                      <LinkBase to={`/devices/${encodeURIComponent(d.deviceId)}/show`}>{d.hostname}</LinkBase>
                    </TableCell>
                    <TableCell>
                      <Chip
                        size="small"
                        color={STATE_COLOR[state]}
                        label={translate(k(`states.${state}`), { smart_count: d.attempts })}
                      />
                    </TableCell>
                    <TableCell>{d.lastSuccessAt ? format.dateTime(d.lastSuccessAt) : translate(k('never'))}</TableCell>
                    <TableCell>{d.lastFailureAt ? format.dateTime(d.lastFailureAt) : '—'}</TableCell>
                    <TableCell sx={{ maxWidth: 420, wordBreak: 'break-word' }} data-testid="glpi-error">
                      {state === 'failing' ? (d.lastError ?? '') : ''}
                    </TableCell>
                    <TableCell>{d.pending && d.nextAttemptAt ? format.dateTime(d.nextAttemptAt) : '—'}</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </Card>
      )}
      {data?.configured && data.devices.length === 0 && (
        <Typography color="text.secondary">{translate(k('no_devices'))}</Typography>
      )}
    </Stack>
  );
}
