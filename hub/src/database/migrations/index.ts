import type { Migration } from 'kysely';
import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-remote-shell.js';
import * as m0003 from './0003-health.js';
import * as m0004 from './0004-config.js';
import * as m0005 from './0005-glpi-forwarding.js';
import * as m0006 from './0006-device-metered.js';
import * as m0007 from './0007-device-events.js';
import * as m0008 from './0008-antivirus-status.js';
import * as m0011 from './0011-agent-packages.js';
import * as m0012 from './0012-registry.js';
import * as m0013 from './0013-volunteers.js';
import * as m0015 from './0015-totp.js';
import * as m0016 from './0016-audit-indexes.js';
import * as m0017 from './0017-department-scope.js';
import * as m0020 from './0020-health-disks.js';
import * as m0021 from './0021-postgres-functions.js';

/** Every migration, in order. Names are sorted by Kysely; never rename or edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-remote-shell': m0002,
  '0003-health': m0003,
  '0004-config': m0004,
  '0005-glpi-forwarding': m0005,
  '0006-device-metered': m0006,
  '0007-device-events': m0007,
  '0008-antivirus-status': m0008,
  '0011-agent-packages': m0011,
  '0012-registry': m0012,
  '0013-volunteers': m0013,
  '0015-totp': m0015,
  '0016-audit-indexes': m0016,
  '0017-department-scope': m0017,
  '0020-health-disks': m0020,
  '0021-postgres-functions': m0021,
};
