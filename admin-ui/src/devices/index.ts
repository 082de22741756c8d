import DevicesIcon from '@mui/icons-material/Computer';
import { DeviceList } from './device-list.js';
import { DeviceShow } from './device-show.js';

/** The `devices` resource: read-only (devices join by enrolment, not from the UI). */
export const devices = {
  list: DeviceList,
  show: DeviceShow,
  icon: DevicesIcon,
  recordRepresentation: 'hostname',
};
