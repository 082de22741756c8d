import { Button, CardContent, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { useLogin, useNotify, useTranslate } from 'react-admin';

/** The second step of a sign-in: the app's code (or a recovery code) for the challenge the password gave. */
export function TotpLoginForm({ challenge, onBack }: { challenge: string; onBack: () => void }) {
  const translate = useTranslate();
  const login = useLogin();
  const notify = useNotify();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      await login({ challenge, code });
    } catch (error) {
      setCode('');
      notify(error instanceof Error ? error.message : String(error), { type: 'error' });
      // After 5 wrong codes the hub forgets the challenge: the password must be given again.
      if (error instanceof Error && error.message === 'bascule.totp.wrong_code') return;
      onBack();
    } finally {
      setBusy(false);
    }
  }

  return (
    <CardContent component="form" onSubmit={submit}>
      <Stack spacing={2}>
        <Typography variant="body2">{translate('bascule.totp.login_help')}</Typography>
        <TextField
          name="code"
          label={translate('bascule.totp.login_code')}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="one-time-code"
          slotProps={{ htmlInput: { inputMode: 'text', maxLength: 32 } }}
          autoFocus
          required
          fullWidth
        />
        <Button type="submit" variant="contained" disabled={busy || code.trim() === ''}>
          {translate('bascule.totp.login_submit')}
        </Button>
        <Button onClick={onBack}>{translate('bascule.totp.login_back')}</Button>
      </Stack>
    </CardContent>
  );
}
