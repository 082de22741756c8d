import { Card, CardContent, FormControlLabel, Switch, Typography } from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNotify, useTranslate } from 'react-admin';
import { accountSettings } from './user-totp.js';

const QUERY_KEY = ['settings', 'accounts'];

/** Beside the user list: whether admin and helpdesk accounts must use TOTP. */
export function AccountSettingsCard() {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: QUERY_KEY, queryFn: accountSettings.get });
  const save = useMutation({
    mutationFn: accountSettings.set,
    onSuccess: (value) => {
      queryClient.setQueryData(QUERY_KEY, value);
      notify('bascule.account_settings.saved', { type: 'success' });
    },
    onError: (error) => notify(error instanceof Error ? error.message : String(error), { type: 'error' }),
  });
  return (
    <Card sx={{ ml: 2, mt: 8, width: 280, flexShrink: 0 }}>
      <CardContent>
        <Typography variant="subtitle1" gutterBottom>
          {translate('bascule.account_settings.title')}
        </Typography>
        <FormControlLabel
          control={
            <Switch
              checked={settings.data?.requireTotp ?? false}
              disabled={!settings.data || save.isPending}
              onChange={(e) => save.mutate({ requireTotp: e.target.checked })}
            />
          }
          label={translate('bascule.account_settings.require_totp')}
        />
      </CardContent>
    </Card>
  );
}
