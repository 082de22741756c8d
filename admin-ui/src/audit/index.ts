import AuditIcon from '@mui/icons-material/ManageSearch';
import { AuditList } from './audit-list.js';

/** The `audit` resource: the hub's audit log, read-only, admins only (the hub enforces it too). */
export const audit = {
  list: AuditList,
  icon: AuditIcon,
};
