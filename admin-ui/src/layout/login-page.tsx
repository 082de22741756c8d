import { Box, Typography } from '@mui/material';
import { LocalesMenuButton, Login, LoginForm, useTranslate } from 'react-admin';
import { useDocumentLang } from '../i18n/use-document-lang.js';

/** react-admin's login page, with the product name and the language switcher (the app bar is not there yet). */
export function LoginPage() {
  const translate = useTranslate();
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
      <LoginForm />
    </Login>
  );
}
