import type { IdGenerator } from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Db } from '../database/database.js';
import { DeviceFactsRepository } from './device-facts.repository.js';
import { RegistryRepository } from './registry.repository.js';
import { RegistryDashboardRepository } from './registry-dashboard.repository.js';
import { RegistryDashboardService } from './registry-dashboard.service.js';
import { RegistryDepartmentsService } from './registry-departments.service.js';
import { RegistryImportRepository } from './registry-import.repository.js';
import { RegistryImportService } from './registry-import.service.js';
import { RegistryLifecycleService } from './registry-lifecycle.service.js';
import { RegistryMatcher } from './registry-matcher.js';
import { RegistryReviewRepository } from './registry-review.repository.js';

/** The fleet registry of the migration program: imports, matching, lifecycle and dashboard. */
export interface Registry {
  imports: RegistryImportService;
  matcher: RegistryMatcher;
  lifecycle: RegistryLifecycleService;
  departments: RegistryDepartmentsService;
  dashboard: RegistryDashboardService;
  /** Marks interrupted imports failed, takes today's snapshot if missing and starts the daily timer. */
  start(): Promise<void>;
  /** Stops the timer and waits for an import still writing. */
  stop(): Promise<void>;
}

export function createRegistry(deps: {
  db: Db;
  audit: AuditRepository;
  ids: IdGenerator;
  clock: Clock;
  logger: Logger;
}): Registry {
  const { db, audit, ids, clock } = deps;
  const logger = deps.logger.child({ component: 'registry' });
  const registry = new RegistryRepository(db);
  const reviews = new RegistryReviewRepository(db);
  const matcher = new RegistryMatcher(registry, reviews, new DeviceFactsRepository(db), audit, ids, clock, logger);
  const imports = new RegistryImportService(new RegistryImportRepository(db), registry, audit, ids, clock, logger);
  const departments = new RegistryDepartmentsService(registry, audit, ids, clock);
  const dashboard = new RegistryDashboardService(new RegistryDashboardRepository(db), registry, clock, logger);
  return {
    imports,
    matcher,
    lifecycle: new RegistryLifecycleService(registry, reviews, departments, matcher, audit, clock, logger),
    departments,
    dashboard,
    async start() {
      await imports.recover();
      await dashboard.start();
    },
    async stop() {
      dashboard.stop();
      await imports.idle();
    },
  };
}
