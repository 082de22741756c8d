import type { IdGenerator } from '@bascule/protocol';
import { AdJoinService } from '../ad-join/ad-join.service.js';
import { AdJoinAccountRepository } from '../ad-join/ad-join-account.repository.js';
import type { AdComputerAccounts } from '../ad-join/computer-accounts.js';
import type { AgentPackageCatalog } from '../agent-packages/agent-package.service.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { DeviceLink } from '../broker/device-link.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Db } from '../database/database.js';
import type { DeviceRepository } from '../devices/device.repository.js';
import { GroupRepository } from '../groups/group.repository.js';
import { GroupService } from '../groups/group.service.js';
import { PolicyRepository } from '../policies/policy.repository.js';
import { PolicyService } from '../policies/policy.service.js';
import { ComplianceService } from '../reports/compliance.service.js';
import { ReportRepository } from '../reports/report.repository.js';
import { ReportService } from '../reports/report.service.js';
import { RolloutRepository } from '../rollouts/rollout.repository.js';
import { ROLLOUT_TICK_MS, RolloutService } from '../rollouts/rollout.service.js';
import { ConfigRepository } from './config.repository.js';
import { ConfigService } from './config.service.js';

/** Desired-state configuration on the hub: policies, groups, effective configs, reports, rollouts. */
export interface Configuration {
  policies: PolicyService;
  groups: GroupService;
  configs: ConfigService;
  reports: ReportService;
  compliance: ComplianceService;
  rollouts: RolloutService;
  adJoin: AdJoinService;
  /** Once the broker listens: publishes every stored config again, recomputes, starts the rollout timer. */
  start(tickMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function createConfiguration(deps: {
  db: Db;
  devices: DeviceRepository;
  deviceLink: DeviceLink;
  audit: AuditRepository;
  computerAccounts: AdComputerAccounts;
  /** The packages agent-update policies name; none: every such policy is sent without its package. */
  agentPackages?: AgentPackageCatalog;
  ids: IdGenerator;
  clock: Clock;
  logger: Logger;
}): Configuration {
  const { db, ids, clock, audit } = deps;
  const log = (component: string) => deps.logger.child({ component });
  const policyRepo = new PolicyRepository(db);
  const groupRepo = new GroupRepository(db);
  const rolloutRepo = new RolloutRepository(db);
  const reportRepo = new ReportRepository(db);
  const configRepo = new ConfigRepository(db);
  const adJoin = new AdJoinService(new AdJoinAccountRepository(db), deps.computerAccounts, clock, log('ad-join'));
  const configs = new ConfigService(
    configRepo,
    policyRepo,
    groupRepo,
    rolloutRepo,
    adJoin,
    deps.deviceLink,
    ids,
    clock,
    log('config'),
    deps.agentPackages,
  );
  const groups = new GroupService(groupRepo, configs, audit, ids, clock);
  const rollouts = new RolloutService(
    rolloutRepo,
    policyRepo,
    groups,
    reportRepo,
    configs,
    audit,
    ids,
    clock,
    log('rollouts'),
  );
  return {
    policies: new PolicyService(
      policyRepo,
      groupRepo,
      deps.devices,
      rolloutRepo,
      configs,
      audit,
      ids,
      clock,
      log('policies'),
    ),
    groups,
    configs,
    reports: new ReportService(reportRepo, configRepo, adJoin, configs, rollouts, log('reports')),
    compliance: new ComplianceService(configs, configRepo, reportRepo, policyRepo, deps.devices),
    rollouts,
    adJoin,
    async start(tickMs = ROLLOUT_TICK_MS) {
      const published = await configs.publishAll();
      deps.logger.info('device configs published', { devices: published });
      await configs.recompute();
      rollouts.start(tickMs);
    },
    async stop() {
      rollouts.stop();
      await rollouts.idle();
    },
  };
}
