import {
  Box,
  Button,
  Card,
  CardContent,
  Grid,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { LinkBase, useGetList, useTranslate } from 'react-admin';
import { useFormat } from '../format/use-format.js';

interface Department {
  id: string;
  name: string;
  deviceCount: number;
}

/**
 * A device count, read from the hub's `Content-Range` total (a one-row page): the hub counts,
 * the browser only displays.
 */
function useDeviceCount(filter: Record<string, unknown>) {
  const { total, isPending } = useGetList('devices', {
    pagination: { page: 1, perPage: 1 },
    sort: { field: 'hostname', order: 'ASC' },
    filter,
  });
  return isPending ? undefined : total;
}

function CountCard({ label, value, to }: { label: string; value: number | undefined; to: string }) {
  const translate = useTranslate();
  const format = useFormat();
  return (
    <Card variant="outlined" sx={{ height: '100%' }}>
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

/** Home: counts the hub already returns (Content-Range totals, `GET /departments` device counts). */
export function Dashboard() {
  const translate = useTranslate();
  const format = useFormat();
  const total = useDeviceCount({});
  const online = useDeviceCount({ online: true });
  const offline = useDeviceCount({ online: false });
  const { data: departments } = useGetList<Department>('departments', {
    pagination: { page: 1, perPage: 1000 },
    sort: { field: 'name', order: 'ASC' },
  });

  return (
    <Box sx={{ mt: 2 }}>
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>
        {translate('bascule.dashboard.welcome')}
      </Typography>
      <Grid container spacing={2} sx={{ mb: 3 }}>
        <Grid size={{ xs: 12, sm: 4 }}>
          <CountCard label="bascule.dashboard.devices" value={total} to="/devices" />
        </Grid>
        <Grid size={{ xs: 12, sm: 4 }}>
          <CountCard label="bascule.dashboard.online" value={online} to={devicesWith({ online: true })} />
        </Grid>
        <Grid size={{ xs: 12, sm: 4 }}>
          <CountCard label="bascule.dashboard.offline" value={offline} to={devicesWith({ online: false })} />
        </Grid>
      </Grid>
      <Card variant="outlined">
        <CardContent>
          <Typography variant="h6" component="h2" sx={{ fontSize: '1.05rem', fontWeight: 600 }}>
            {translate('bascule.dashboard.departments')}
          </Typography>
          {departments && departments.length === 0 ? (
            <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
              {translate('bascule.dashboard.no_departments')}
            </Typography>
          ) : (
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell sx={{ fontWeight: 600 }}>{translate('resources.departments.fields.name')}</TableCell>
                  <TableCell sx={{ fontWeight: 600 }} align="right">
                    {translate('resources.departments.fields.deviceCount')}
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {(departments ?? []).map((d) => (
                  <TableRow key={d.id} hover>
                    <TableCell>
                      <LinkBase to={devicesWith({ department: d.id })}>{d.name}</LinkBase>
                    </TableCell>
                    <TableCell align="right">{format.number(d.deviceCount, 0)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          <Box sx={{ mt: 2 }}>
            <Button component={LinkBase} to="/devices" variant="outlined" size="small">
              {translate('bascule.dashboard.see_devices')}
            </Button>
          </Box>
        </CardContent>
      </Card>
    </Box>
  );
}
