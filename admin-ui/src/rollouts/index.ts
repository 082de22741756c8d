import RolloutsIcon from '@mui/icons-material/RocketLaunch';
import { RolloutCreate } from './rollout-create.js';
import { RolloutList } from './rollout-list.js';
import { RolloutShow } from './rollout-show.js';

/** The `rollouts` resource: staged deployments of a policy revision. Admins start and steer them. */
export const rollouts = {
  list: RolloutList,
  show: RolloutShow,
  create: RolloutCreate,
  icon: RolloutsIcon,
};
