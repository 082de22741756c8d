import { Admin, CustomRoutes, Resource } from 'react-admin';
import { Route } from 'react-router';
import { alerts } from './alerts/index.js';
import { antivirus } from './antivirus/index.js';
import { audit } from './audit/index.js';
import { ChangePasswordPage } from './change-password/change-password-page.js';
import { Dashboard } from './dashboard/dashboard.js';
import { devices } from './devices/index.js';
import { GLPI_PATH, GlpiPage } from './glpi/glpi-page.js';
import { groups } from './groups/index.js';
import { i18nProvider } from './i18n/i18n-provider.js';
import { AppLayout } from './layout/app-layout.js';
import { LoginPage } from './layout/login-page.js';
import { theme } from './layout/theme.js';
import { MIGRATION_PATH, MIGRATION_PRINT_PATH, MigrationPage, MigrationPrintPage } from './migration/migration-page.js';
import { policies } from './policies/index.js';
import { PROFILE_PATH, ProfilePage } from './profile/profile-page.js';
import { authProvider, CHANGE_PASSWORD_PATH } from './providers/auth-provider.js';
import { dataProvider } from './providers/data-provider.js';
import { IMPORT_PATH, ImportWizard, registryDepartments, registryMachines, registryReviews } from './registry/index.js';
import { rollouts } from './rollouts/index.js';
import { terminalSessions } from './terminal-sessions/index.js';
import { users } from './users/index.js';
import { volunteers } from './volunteers/index.js';

/** A resource without its create and edit pages for anyone but an admin (the hub refuses them too). */
function readOnlyUnlessAdmin<T extends object>(resource: T, permissions: unknown): T {
  if (permissions === 'admin') return resource;
  return { ...resource, create: undefined, edit: undefined };
}

export function App() {
  return (
    <Admin
      title="Bascule"
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      layout={AppLayout}
      loginPage={LoginPage}
      dashboard={Dashboard}
      theme={theme}
      requireAuth
      disableTelemetry
    >
      {(permissions: unknown) => (
        <>
          <Resource name="devices" {...devices} />
          <Resource name="alerts" {...alerts} />
          <Resource name="antivirus" {...antivirus} />
          {permissions === 'admin' || permissions === 'helpdesk' ? (
            <Resource name="terminal-sessions" {...terminalSessions} />
          ) : null}
          {/* Configuration: every role reads; only admins get the create and edit pages. */}
          <Resource name="policies" {...readOnlyUnlessAdmin(policies, permissions)} />
          <Resource name="groups" {...readOnlyUnlessAdmin(groups, permissions)} />
          <Resource name="rollouts" {...readOnlyUnlessAdmin(rollouts, permissions)} />
          {permissions === 'admin' ? <Resource name="users" {...users} /> : null}
          {permissions === 'admin' ? <Resource name="audit" {...audit} /> : null}
          <Resource name="departments" />
          {/* The migration program (fleet registry): every role reads; the pages hide what the role cannot do. */}
          <Resource name="registry-machines" {...registryMachines} />
          <Resource name="registry-departments" {...registryDepartments} />
          <Resource name="registry-reviews" {...registryReviews} />
          <Resource name="registry/volunteers" {...volunteers} />
          <CustomRoutes>
            <Route path={PROFILE_PATH} element={<ProfilePage />} />
            <Route path={GLPI_PATH} element={<GlpiPage />} />
            <Route path={MIGRATION_PATH} element={<MigrationPage />} />
            <Route path={IMPORT_PATH} element={<ImportWizard />} />
          </CustomRoutes>
          <CustomRoutes noLayout>
            <Route path={CHANGE_PASSWORD_PATH} element={<ChangePasswordPage />} />
            <Route path={MIGRATION_PRINT_PATH} element={<MigrationPrintPage />} />
          </CustomRoutes>
        </>
      )}
    </Admin>
  );
}
