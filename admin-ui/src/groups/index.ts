import GroupsIcon from '@mui/icons-material/Workspaces';
import { GroupCreate } from './group-create.js';
import { GroupEdit } from './group-edit.js';
import { GroupList } from './group-list.js';
import { GroupShow } from './group-show.js';

/** The `groups` resource: named sets of devices (rollout rings, policy targets). Admins write, every role reads. */
export const groups = {
  list: GroupList,
  show: GroupShow,
  edit: GroupEdit,
  create: GroupCreate,
  icon: GroupsIcon,
  recordRepresentation: 'name',
};
