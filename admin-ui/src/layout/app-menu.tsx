import { Menu, useResourceDefinitions } from 'react-admin';
import { AlertsMenuItem } from '../alerts/alerts-menu-item.js';

/** react-admin's menu, every resource as registered in app.tsx, with a badge on "Alertes". */
export function AppMenu() {
  const resources = useResourceDefinitions();
  return (
    <Menu>
      <Menu.DashboardItem />
      {Object.values(resources)
        .filter((r) => r.hasList)
        .map((r) =>
          r.name === 'alerts' ? <AlertsMenuItem key={r.name} /> : <Menu.ResourceItem key={r.name} name={r.name} />,
        )}
    </Menu>
  );
}
