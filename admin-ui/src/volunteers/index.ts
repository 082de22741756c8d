import VolunteersIcon from '@mui/icons-material/VolunteerActivism';
import { VolunteerList } from './volunteer-list.js';

/** The `registry/volunteers` resource: requests from the public sign-up form, triaged by IT. */
export const volunteers = {
  list: VolunteerList,
  icon: VolunteersIcon,
};
