import LockResetIcon from '@mui/icons-material/LockReset';
import { ListItemIcon, ListItemText, MenuItem } from '@mui/material';
import type { ReactNode } from 'react';
import { AppBar, Layout, LinkBase, Logout, UserMenu, useTranslate, useUserMenu } from 'react-admin';
import { useDocumentLang } from '../i18n/use-document-lang.js';
import { CHANGE_PASSWORD_PATH } from '../providers/auth-provider.js';

function ChangePasswordMenuItem() {
  const translate = useTranslate();
  const userMenu = useUserMenu();
  return (
    <MenuItem component={LinkBase} to={CHANGE_PASSWORD_PATH} onClick={() => userMenu?.onClose()}>
      <ListItemIcon>
        <LockResetIcon fontSize="small" />
      </ListItemIcon>
      <ListItemText>{translate('bascule.auth.change_password_menu')}</ListItemText>
    </MenuItem>
  );
}

/** The default app bar (it shows the language switcher since two locales exist), plus "change my password". */
function BasculeAppBar() {
  return (
    <AppBar
      userMenu={
        <UserMenu>
          <ChangePasswordMenuItem />
          <Logout />
        </UserMenu>
      }
    />
  );
}

export function AppLayout({ children }: { children: ReactNode }) {
  useDocumentLang();
  return <Layout appBar={BasculeAppBar}>{children}</Layout>;
}
