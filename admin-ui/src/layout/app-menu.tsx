import InsightsIcon from '@mui/icons-material/Insights';
import SyncProblemIcon from '@mui/icons-material/SyncProblem';
import { Menu, useResourceDefinitions, useTranslate } from 'react-admin';
import { AlertsMenuItem } from '../alerts/alerts-menu-item.js';
import { GLPI_PATH } from '../glpi/glpi-page.js';
import { MIGRATION_PATH } from '../migration/migration-page.js';

/** react-admin's menu, every resource as registered in app.tsx, with a badge on "Alertes", then GLPI. */
export function AppMenu() {
  const resources = useResourceDefinitions();
  const translate = useTranslate();
  return (
    <Menu>
      <Menu.DashboardItem />
      <Menu.Item
        to={MIGRATION_PATH}
        primaryText={translate('bascule.registry.migration.menu')}
        leftIcon={<InsightsIcon />}
      />
      {Object.values(resources)
        .filter((r) => r.hasList)
        .map((r) =>
          r.name === 'alerts' ? <AlertsMenuItem key={r.name} /> : <Menu.ResourceItem key={r.name} name={r.name} />,
        )}
      <Menu.Item to={GLPI_PATH} primaryText={translate('bascule.glpi.menu')} leftIcon={<SyncProblemIcon />} />
    </Menu>
  );
}
