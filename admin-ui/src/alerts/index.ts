import AlertsIcon from '@mui/icons-material/NotificationsActive';
import { AlertList } from './alert-list.js';

/** The `alerts` resource: computed by the hub, read and acknowledged here. */
export const alerts = {
  list: AlertList,
  icon: AlertsIcon,
};
