import LockResetIcon from '@mui/icons-material/LockReset';
import PersonIcon from '@mui/icons-material/Person';
import { ListItemIcon, ListItemText, MenuItem } from '@mui/material';
import type { ReactNode } from 'react';
import { AppBar, Layout, LinkBase, Logout, UserMenu, useTranslate, useUserMenu } from 'react-admin';
import { useDocumentLang } from '../i18n/use-document-lang.js';
import { PROFILE_PATH } from '../profile/profile-page.js';
import { CHANGE_PASSWORD_PATH } from '../providers/auth-provider.js';
import { AppMenu } from './app-menu.js';

function ProfileMenuItem() {
  const translate = useTranslate();
  const userMenu = useUserMenu();
  return (
    <MenuItem component={LinkBase} to={PROFILE_PATH} onClick={() => userMenu?.onClose()}>
      <ListItemIcon>
        <PersonIcon fontSize="small" />
      </ListItemIcon>
      <ListItemText>{translate('bascule.profile.menu')}</ListItemText>
    </MenuItem>
  );
}

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

/**
 * react-admin's layout grows to its content (`min-width: fit-content`, and flex items keep their
 * content's width): a device page with a dozen tabs came out wider than a 1366 px screen, and the
 * terminal inside it could not shrink with the window. Everything may shrink; wide content scrolls.
 */
const FIT_THE_WINDOW = {
  minWidth: 0,
  '& .RaLayout-appFrame, & .RaLayout-contentWithSidebar, & .RaLayout-content, & .RaShow-main > .MuiPaper-root': {
    minWidth: 0,
  },
} as const;

/** The default app bar (it shows the language switcher since two locales exist), plus "my profile" and "change my password". */
function BasculeAppBar() {
  return (
    <AppBar
      userMenu={
        <UserMenu>
          <ProfileMenuItem />
          <ChangePasswordMenuItem />
          <Logout />
        </UserMenu>
      }
    />
  );
}

export function AppLayout({ children }: { children: ReactNode }) {
  useDocumentLang();
  return (
    <Layout appBar={BasculeAppBar} menu={AppMenu} sx={FIT_THE_WINDOW}>
      {children}
    </Layout>
  );
}
