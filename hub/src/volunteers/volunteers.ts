import { randomBytes } from 'node:crypto';
import type { IdGenerator } from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Db } from '../database/database.js';
import type { Registry } from '../registry/registry.js';
import { VolunteerRepository } from './volunteer.repository.js';
import { VolunteerService } from './volunteer.service.js';
import { VolunteerFormGuard } from './volunteer-form-guard.js';

/** Volunteer sign-up, on top of the fleet registry. The form tickets' key lives as long as the process. */
export function createVolunteers(deps: {
  db: Db;
  registry: Pick<Registry, 'departments' | 'lifecycle'>;
  audit: AuditRepository;
  ids: IdGenerator;
  clock: Clock;
  logger: Logger;
}): VolunteerService {
  return new VolunteerService(
    new VolunteerRepository(deps.db),
    deps.registry.departments,
    deps.registry.lifecycle,
    new VolunteerFormGuard(randomBytes(32), deps.clock),
    deps.audit,
    deps.ids,
    deps.clock,
    deps.logger.child({ component: 'volunteers' }),
  );
}
