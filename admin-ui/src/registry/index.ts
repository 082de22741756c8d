import TreeIcon from '@mui/icons-material/AccountTree';
import ReviewIcon from '@mui/icons-material/CompareArrows';
import RegistryIcon from '@mui/icons-material/Inventory';
import { DepartmentPage } from './department-page.js';
import { MachineList } from './machine-list.js';
import { MachineShow } from './machine-show.js';
import { ReviewList } from './review-list.js';

/** `registry-machines`: every machine of the organisation (GET /api/v1/registry/machines). */
export const registryMachines = { list: MachineList, show: MachineShow, icon: RegistryIcon };

/** `registry-departments`: the department tree and its phases; a page of its own rather than a grid. */
export const registryDepartments = { list: DepartmentPage, icon: TreeIcon };

/** `registry-reviews`: ambiguous matches between enrolled devices and registry machines. */
export const registryReviews = { list: ReviewList, icon: ReviewIcon };

export { ImportWizard } from './import-wizard.js';
export { IMPORT_PATH } from './machine-list.js';
