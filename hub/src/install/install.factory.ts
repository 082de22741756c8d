import type { Clock } from '../core/clock.js';
import type { HubInfo } from '../core/hub-info.js';
import type { Logger } from '../core/logger.js';
import { TokenRepository } from '../enrolment/token.repository.js';
import { caHashOf } from '../pki/pki.js';
import type { HubServices } from '../services.js';
import { AgentPackageRepository, agentPackageLocations } from './agent-package.repository.js';
import { InstallService } from './install.service.js';

/** Builds the install service from the hub's services; the package location comes from the environment. */
export function createInstallService(services: HubServices, hub: HubInfo, clock: Clock, logger: Logger) {
  return new InstallService(
    new TokenRepository(services.database.db),
    new AgentPackageRepository(agentPackageLocations(process.env, services.agentPackages.dir)),
    { caCertPem: hub.caCertPem, caHash: caHashOf(hub.caCertPem) },
    clock,
    logger.child({ component: 'install' }),
  );
}
