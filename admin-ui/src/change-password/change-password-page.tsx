import LockResetIcon from '@mui/icons-material/LockReset';
import { Alert, Avatar, Box, Button, Card, CardContent, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import {
  Form,
  LocalesMenuButton,
  PasswordInput,
  required,
  SaveButton,
  useLogout,
  useNotify,
  useRedirect,
  useTranslate,
} from 'react-admin';
import { useDocumentLang } from '../i18n/use-document-lang.js';
import { type Me, refreshMe } from '../providers/auth-provider.js';
import { api, isHttpError } from '../providers/http-client.js';
import { passwordPolicy } from '../users/user-create.js';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmation: string;
}

const sameAsNew = (value: unknown, values: Partial<PasswordForm>) =>
  value && value !== values.newPassword ? 'bascule.password.mismatch' : undefined;

function Fields() {
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      <PasswordInput
        source="currentPassword"
        label="bascule.password.current"
        validate={required()}
        autoComplete="current-password"
        fullWidth
      />
      <PasswordInput
        source="newPassword"
        label="bascule.password.new"
        validate={[required(), passwordPolicy]}
        helperText="bascule.password.hint"
        autoComplete="new-password"
        fullWidth
      />
      <PasswordInput
        source="confirmation"
        label="bascule.password.confirm"
        validate={[required(), sameAsNew]}
        autoComplete="new-password"
        fullWidth
      />
      <SaveButton label="bascule.password.submit" icon={<LockResetIcon />} size="large" sx={{ mt: 1 }} />
    </Box>
  );
}

/**
 * `/change-password`, outside the layout: where the hub sends a user whose password must be
 * changed (the one-time admin password, an account an admin just created), and where anyone
 * can change theirs from the user menu.
 */
export function ChangePasswordPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const redirect = useRedirect();
  const logout = useLogout();
  const [me, setMe] = useState<Me>();
  useDocumentLang();

  useEffect(() => {
    refreshMe().then(setMe, (error: unknown) => {
      if (isHttpError(error) && error.status === 401) logout();
      else notify(String((error as Error).message ?? error), { type: 'error' });
    });
  }, [logout, notify]);

  const [message, setMessage] = useState<string>();

  /** Resolves to field errors (react-admin's Form puts them on the inputs) or moves into the app. */
  const submit = async ({ currentPassword, newPassword }: Partial<PasswordForm>) => {
    setMessage(undefined);
    try {
      await api('/auth/password', { method: 'POST', body: JSON.stringify({ currentPassword, newPassword }) });
    } catch (error) {
      const errors = isHttpError(error) ? error.body?.errors : undefined;
      if (errors && Object.keys(errors).length > 0) {
        // The hub's reason for the current password is only ever "wrong"; say it in the UI's language.
        return errors.currentPassword
          ? { ...errors, currentPassword: translate('bascule.password.wrong_current') }
          : errors;
      }
      setMessage(isHttpError(error) ? (error.body?.message ?? error.message) : String(error));
      return undefined;
    }
    await refreshMe();
    notify('bascule.password.changed', { type: 'success' });
    redirect('/');
    return undefined;
  };

  return (
    <Box
      sx={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        bgcolor: 'grey.100',
        p: 2,
      }}
    >
      <Box sx={{ position: 'fixed', top: 8, right: 8 }}>
        <LocalesMenuButton />
      </Box>
      <Card sx={{ width: '100%', maxWidth: 520 }}>
        <CardContent sx={{ p: 4 }}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 2 }}>
            <Avatar sx={{ bgcolor: 'primary.main' }}>
              <LockResetIcon />
            </Avatar>
            <Box>
              <Typography variant="h5" component="h1">
                {translate('bascule.password.title')}
              </Typography>
              {me && (
                <Typography variant="body2" color="text.secondary">
                  {translate('bascule.password.signed_in_as', { username: me.username })}
                </Typography>
              )}
            </Box>
          </Box>
          {me?.mustChangePassword && (
            <Alert severity="info" sx={{ mb: 2 }}>
              {translate('bascule.password.first_login')}
            </Alert>
          )}
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            {translate('bascule.password.policy_title')}
          </Typography>
          <Box component="ul" sx={{ mt: 0.5, mb: 2, pl: 3, typography: 'body2' }}>
            <li>{translate('bascule.password.policy_length')}</li>
            <li>{translate('bascule.password.policy_any')}</li>
            <li>{translate('bascule.password.policy_blocklist')}</li>
          </Box>
          {message && (
            <Alert severity="error" sx={{ mb: 2 }}>
              {message}
            </Alert>
          )}
          <Form
            defaultValues={{ currentPassword: '', newPassword: '', confirmation: '' }}
            onSubmit={submit}
            mode="onBlur"
            reValidateMode="onChange"
          >
            <Fields />
          </Form>
          <Box sx={{ mt: 2, display: 'flex', justifyContent: 'space-between' }}>
            {/* Only a voluntary change can be left: a required one is the only way into the app. */}
            {me && !me.mustChangePassword ? (
              <Button size="small" onClick={() => redirect('/')}>
                {translate('bascule.password.back')}
              </Button>
            ) : (
              <span />
            )}
            <Button size="small" onClick={() => logout()}>
              {translate('bascule.password.sign_out')}
            </Button>
          </Box>
        </CardContent>
      </Card>
    </Box>
  );
}
