import { Box, Button, CardContent, Typography } from '@mui/material';
import { useState } from 'react';
import {
  Form,
  LocalesMenuButton,
  Login,
  PasswordInput,
  required,
  TextInput,
  useLogin,
  useNotify,
  useTranslate,
} from 'react-admin';
import { useDocumentLang } from '../i18n/use-document-lang.js';
import { TotpRequired } from '../providers/auth-provider.js';
import { TotpLoginForm } from './totp-login-form.js';

/** The password step; an account with TOTP then gets the code step (TotpLoginForm). */
function PasswordLoginForm({ onTotp }: { onTotp: (challenge: string) => void }) {
  const translate = useTranslate();
  const login = useLogin();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);

  async function submit(values: Record<string, unknown>) {
    setBusy(true);
    try {
      await login({ username: values.username, password: values.password });
    } catch (error) {
      if (error instanceof TotpRequired) onTotp(error.challenge);
      else notify(error instanceof Error ? error.message : 'ra.auth.sign_in_error', { type: 'error' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Form onSubmit={submit} mode="onChange" noValidate>
      <CardContent sx={{ width: 300 }}>
        <TextInput
          autoFocus
          source="username"
          label={translate('ra.auth.username')}
          autoComplete="username"
          validate={required()}
        />
        <PasswordInput
          source="password"
          label={translate('ra.auth.password')}
          autoComplete="current-password"
          validate={required()}
        />
        <Button variant="contained" type="submit" disabled={busy} fullWidth sx={{ mt: 2 }}>
          {translate('ra.auth.sign_in')}
        </Button>
      </CardContent>
    </Form>
  );
}

/** react-admin's login page, with the product name and the language switcher (the app bar is not there yet). */
export function LoginPage() {
  const translate = useTranslate();
  const [challenge, setChallenge] = useState<string>();
  useDocumentLang();
  return (
    <Login>
      <Box sx={{ position: 'fixed', top: 8, right: 8, color: 'common.white' }}>
        <LocalesMenuButton />
      </Box>
      <Box sx={{ textAlign: 'center', px: 2, pt: 1 }}>
        <Typography variant="h5" component="h1" sx={{ fontWeight: 600 }}>
          {translate('bascule.app.title')}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {translate('bascule.app.tagline')}
        </Typography>
      </Box>
      {challenge ? (
        <TotpLoginForm challenge={challenge} onBack={() => setChallenge(undefined)} />
      ) : (
        <PasswordLoginForm onTotp={setChallenge} />
      )}
    </Login>
  );
}
