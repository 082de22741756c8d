import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';

interface RemoteApp {
  id: string;
  name: string;
  server: string;
  program?: string;
  domain?: string;
  username?: string;
  gateway?: { server: string };
}

/** A `remote-apps` document read by a person: the accounts, then one row per Windows application. */
export function RemoteAppsDocument({ document }: { document: { users?: string[]; apps?: RemoteApp[] } }) {
  const translate = useTranslate();
  const t = (key: string) => translate(`bascule.policies.remote_apps.fields.${key}`);
  return (
    <Box>
      <Typography variant="subtitle2">{t('users')}</Typography>
      <Typography variant="body2" sx={{ mb: 2 }}>
        {(document.users ?? []).join(', ') || '—'}
      </Typography>
      <Table size="small">
        <TableHead>
          <TableRow>
            {['name', 'server', 'program', 'domain', 'username', 'gateway_server'].map((k) => (
              <TableCell key={k}>{t(k)}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {(document.apps ?? []).map((a) => (
            <TableRow key={a.id}>
              <TableCell>{a.name}</TableCell>
              <TableCell>{a.server}</TableCell>
              <TableCell>{a.program || '—'}</TableCell>
              <TableCell>{a.domain || '—'}</TableCell>
              <TableCell>{a.username ?? '%u'}</TableCell>
              <TableCell>{a.gateway?.server ?? '—'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
        {translate('bascule.policies.remote_apps.no_password')}
      </Typography>
    </Box>
  );
}
