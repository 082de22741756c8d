import { Alert, Box, Button, Card, CardContent, Stack, TextField, Typography } from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { useFormat } from '../format/use-format.js';
import { refreshMe } from '../providers/auth-provider.js';
import { isHttpError } from '../providers/http-client.js';
import { accountTotp, type TotpEnrolment } from './totp.js';

const QUERY_KEY = ['account', 'totp'];

/** The signed-in user's TOTP second factor: enrolment with a QR code, then the recovery codes, shown once. */
export function TotpCard({ required }: { required: boolean }) {
  const translate = useTranslate();
  const notify = useNotify();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [enrolment, setEnrolment] = useState<TotpEnrolment>();
  const [code, setCode] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const status = useQuery({ queryKey: QUERY_KEY, queryFn: accountTotp.status });
  const begin = useMutation({ mutationFn: accountTotp.begin, onSuccess: setEnrolment });
  const confirm = useMutation({
    mutationFn: (value: string) => accountTotp.confirm(value),
    onSuccess: async (answer) => {
      setEnrolment(undefined);
      setCode('');
      setRecoveryCodes(answer.recoveryCodes);
      notify('bascule.totp.confirmed', { type: 'success' });
      await refreshMe();
      await queryClient.invalidateQueries({ queryKey: QUERY_KEY });
    },
    onError: (error: unknown) => {
      // http-client turned TOTP_WRONG_CODE into a translation key; notify translates it.
      const message = isHttpError(error) ? (error.body?.errors?.code ?? error.message) : undefined;
      notify(message ?? 'bascule.totp.wrong_code', { type: 'error' });
    },
  });

  return (
    <Card>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          {translate('bascule.totp.title')}
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {translate('bascule.totp.help')}
        </Typography>
        {required && !status.data?.enabled ? (
          <Alert severity="warning" sx={{ mb: 2 }}>
            {translate('bascule.totp.required')}
          </Alert>
        ) : null}
        {status.data ? (
          <Typography variant="body1" sx={{ mb: 2 }} data-testid="totp-status">
            {status.data.enabled && status.data.enabledAt
              ? translate('bascule.totp.enabled', {
                  date: format.dateTime(status.data.enabledAt),
                  count: status.data.recoveryCodesLeft,
                })
              : translate('bascule.totp.disabled')}
          </Typography>
        ) : null}
        {recoveryCodes ? (
          <Alert severity="info" sx={{ mb: 2 }}>
            <Typography variant="subtitle2">{translate('bascule.totp.recovery_title')}</Typography>
            <Typography variant="body2">{translate('bascule.totp.recovery_help')}</Typography>
            <Box component="pre" data-testid="recovery-codes" sx={{ fontFamily: 'monospace', my: 1 }}>
              {recoveryCodes.join('\n')}
            </Box>
            <Button onClick={() => setRecoveryCodes(undefined)}>{translate('bascule.totp.recovery_done')}</Button>
          </Alert>
        ) : null}
        {enrolment ? (
          <Stack
            spacing={2}
            component="form"
            onSubmit={(e) => {
              e.preventDefault();
              confirm.mutate(code);
            }}
          >
            {/* An image, not inline markup: the SVG comes from the hub and is only ever displayed. */}
            <img
              src={`data:image/svg+xml;base64,${btoa(enrolment.qrSvg)}`}
              alt={enrolment.otpauthUri}
              width={200}
              height={200}
            />
            <Typography variant="body2" sx={{ wordBreak: 'break-all' }}>
              {translate('bascule.totp.scan', { secret: enrolment.secret })}
            </Typography>
            <TextField
              name="code"
              label={translate('bascule.totp.code')}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              autoComplete="one-time-code"
              slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 6 } }}
              sx={{ maxWidth: 240 }}
              required
            />
            <Stack direction="row" spacing={1}>
              <Button type="submit" variant="contained" disabled={confirm.isPending || code.length !== 6}>
                {translate('bascule.totp.confirm')}
              </Button>
              <Button onClick={() => setEnrolment(undefined)}>{translate('bascule.totp.cancel')}</Button>
            </Stack>
          </Stack>
        ) : (
          <Button variant="outlined" onClick={() => begin.mutate()} disabled={begin.isPending}>
            {translate(status.data?.enabled ? 'bascule.totp.enrol_again' : 'bascule.totp.enrol')}
          </Button>
        )}
      </CardContent>
    </Card>
  );
}
