import PolicyIcon from '@mui/icons-material/Policy';
import { PolicyCreate } from './policy-create.js';
import { PolicyEdit } from './policy-edit.js';
import { PolicyList } from './policy-list.js';
import { PolicyShow } from './policy-show.js';

/** The `policies` resource: desired-state documents per module. Admins write, every role reads. */
export const policies = {
  list: PolicyList,
  show: PolicyShow,
  edit: PolicyEdit,
  create: PolicyCreate,
  icon: PolicyIcon,
  recordRepresentation: 'name',
};
