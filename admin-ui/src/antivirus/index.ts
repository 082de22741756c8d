import AntivirusIcon from '@mui/icons-material/Shield';
import { AntivirusList } from './antivirus-list.js';

/** The `antivirus` resource: the fleet view of the module's status (GET /api/v1/antivirus), read-only. */
export const antivirus = {
  list: AntivirusList,
  icon: AntivirusIcon,
};
