import { Badge } from '@mui/material';
import { Menu, useGetList, useTranslate } from 'react-admin';
import { alertsWith } from './alert.js';
import { alerts } from './index.js';

/** "Alertes" in the menu, with the number of open alerts (the hub's Content-Range total). */
export function AlertsMenuItem() {
  const translate = useTranslate();
  const { total } = useGetList(
    'alerts',
    { pagination: { page: 1, perPage: 1 }, sort: { field: 'openedAt', order: 'DESC' }, filter: { state: 'open' } },
    { refetchInterval: 60_000 },
  );
  const Icon = alerts.icon;
  return (
    <Menu.Item
      to={alertsWith({ state: ['open', 'acknowledged'] })}
      primaryText={translate('resources.alerts.name', { smart_count: 2 })}
      leftIcon={
        <Badge badgeContent={total ?? 0} color="error" max={999} data-testid="alerts-badge">
          <Icon />
        </Badge>
      }
    />
  );
}
