import UsersIcon from '@mui/icons-material/People';
import { UserCreate } from './user-create.js';
import { UserEdit } from './user-edit.js';
import { UserList } from './user-list.js';

/** The `users` resource, registered for admins only (the hub enforces it too). */
export const users = {
  list: UserList,
  create: UserCreate,
  edit: UserEdit,
  icon: UsersIcon,
  recordRepresentation: 'username',
};
