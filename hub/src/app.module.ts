import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { AgentPackageService } from './agent-packages/agent-package.service.js';
import { AgentPackagesController } from './agent-packages/agent-packages.controller.js';
import { AlertService } from './alerts/alert.service.js';
import { AlertsController } from './alerts/alerts.controller.js';
import { AntivirusActionsController } from './antivirus/antivirus-actions.controller.js';
import { AntivirusActionsService } from './antivirus/antivirus-actions.service.js';
import { AntivirusStatusController } from './antivirus/antivirus-status.controller.js';
import { AntivirusStatusService } from './antivirus/antivirus-status.service.js';
import { AuditController } from './audit/audit.controller.js';
import { AuditRepository } from './audit/audit.repository.js';
import { AuditService } from './audit/audit.service.js';
import { AccountSettingsController } from './auth/account-settings.controller.js';
import { AccountSettingsRepository } from './auth/account-settings.repository.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthService } from './auth/auth.service.js';
import { DepartmentScopeService } from './auth/department-scope.service.js';
import { SessionGuard } from './auth/session.guard.js';
import { AccountTotpController, UserTotpController } from './auth/totp.controller.js';
import { TotpService } from './auth/totp.service.js';
import { DeviceAuthenticator } from './broker/device-authenticator.js';
import { ConfigService } from './config-publisher/config.service.js';
import type { Clock } from './core/clock.js';
import { HubInfo } from './core/hub-info.js';
import type { Logger } from './core/logger.js';
import { CLOCK, METRICS } from './core/tokens.js';
import { DeviceHealthController } from './device-health/device-health.controller.js';
import { DeviceHealthService } from './device-health/device-health.service.js';
import { DeviceService } from './devices/device.service.js';
import { DeviceMeteredController } from './devices/device-metered.controller.js';
import { DeviceMeteredService } from './devices/device-metered.service.js';
import { DevicesController } from './devices/devices.controller.js';
import { InventoryRefreshController } from './devices/inventory-refresh.controller.js';
import { InventoryRefreshService } from './devices/inventory-refresh.service.js';
import { EnrollController } from './enrolment/enroll.controller.js';
import { EnrolmentService } from './enrolment/enrolment.service.js';
import { DeviceEventsController } from './events/device-events.controller.js';
import { DeviceEventsService } from './events/device-events.service.js';
import { FleetController } from './fleet/fleet.controller.js';
import { FleetRepository } from './fleet/fleet.repository.js';
import { GlpiController } from './glpi/glpi.controller.js';
import { GlpiExportService } from './glpi/glpi-export.service.js';
import { GlpiForwarder } from './glpi/glpi-forwarder.js';
import { GroupService } from './groups/group.service.js';
import { GroupsController } from './groups/groups.controller.js';
import { HealthController } from './health/health.controller.js';
import { InstallController } from './install/install.controller.js';
import { createInstallService } from './install/install.factory.js';
import { InstallService } from './install/install.service.js';
import { MetricsAccess } from './metrics/metrics-access.js';
import { PoliciesController } from './policies/policies.controller.js';
import { PolicyService } from './policies/policy.service.js';
import { RegistryDashboardController } from './registry/registry-dashboard.controller.js';
import { RegistryDashboardService } from './registry/registry-dashboard.service.js';
import { RegistryDepartmentsController } from './registry/registry-departments.controller.js';
import { RegistryDepartmentsService } from './registry/registry-departments.service.js';
import { RegistryImportService } from './registry/registry-import.service.js';
import { RegistryImportsController } from './registry/registry-imports.controller.js';
import { RegistryLifecycleService } from './registry/registry-lifecycle.service.js';
import { RegistryMachinesController } from './registry/registry-machines.controller.js';
import { RegistryReviewsController } from './registry/registry-reviews.controller.js';
import { ComplianceController } from './reports/compliance.controller.js';
import { ComplianceService } from './reports/compliance.service.js';
import { RolloutService } from './rollouts/rollout.service.js';
import { RolloutsController } from './rollouts/rollouts.controller.js';
import type { HubServices } from './services.js';
import { TerminalHistoryService } from './terminal/terminal-history.service.js';
import { TerminalSessionsController } from './terminal/terminal-sessions.controller.js';
import { terminalWebSocketProvider } from './terminal/terminal-websocket.js';
import { SshKeyService } from './users/ssh-key.service.js';
import { AccountSshKeysController, UserSshKeysController } from './users/ssh-keys.controller.js';
import { UserService } from './users/user.service.js';
import { UsersController } from './users/users.controller.js';
import { VolunteerService } from './volunteers/volunteer.service.js';
import { VolunteerCampaignsController } from './volunteers/volunteer-campaigns.controller.js';
import { VolunteerFormController } from './volunteers/volunteer-form.controller.js';
import { VolunteersController } from './volunteers/volunteers.controller.js';
import { WwanOperatorsController } from './wwan/wwan-operators.controller.js';
import { WwanOperatorsService } from './wwan/wwan-operators.service.js';

/** The HTTP application: thin controllers over the services built in services.ts. */
@Module({})
export class AppModule {
  static forRoot(services: HubServices, hub: HubInfo, clock: Clock, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      controllers: [
        AuthController,
        UsersController,
        DevicesController,
        InventoryRefreshController,
        DeviceMeteredController,
        GlpiController,
        EnrollController,
        HealthController,
        InstallController,
        AccountSshKeysController,
        UserSshKeysController,
        TerminalSessionsController,
        // health, alerts, fleet overview
        DeviceHealthController,
        AlertsController,
        FleetController,
        // desired-state configuration
        PoliciesController,
        GroupsController,
        RolloutsController,
        ComplianceController,
        // device events
        DeviceEventsController,
        // antivirus status
        AntivirusStatusController,
        // antivirus actions (scan now, restore)
        AntivirusActionsController,
        // agent packages for self-update
        AgentPackagesController,
        // fleet registry
        RegistryImportsController,
        RegistryMachinesController,
        RegistryDepartmentsController,
        RegistryReviewsController,
        RegistryDashboardController,
        WwanOperatorsController,
        // volunteer sign-up
        VolunteerFormController,
        VolunteersController,
        VolunteerCampaignsController,
        // accounts: TOTP, account settings
        AccountTotpController,
        UserTotpController,
        AccountSettingsController,
        // audit log
        AuditController,
      ],
      providers: [
        { provide: AuthService, useValue: services.auth },
        { provide: UserService, useValue: services.users },
        { provide: SshKeyService, useValue: services.sshKeys },
        { provide: DeviceService, useValue: services.deviceService },
        { provide: GlpiExportService, useValue: new GlpiExportService(services.deviceService, clock) },
        { provide: GlpiForwarder, useValue: services.glpiForwarder },
        {
          provide: InventoryRefreshService,
          useValue: new InventoryRefreshService(
            services.deviceService,
            services.rpc,
            services.audit,
            clock,
            logger.child({ component: 'inventory' }),
          ),
        },
        {
          provide: WwanOperatorsService,
          useValue: new WwanOperatorsService(
            services.deviceService,
            services.rpc,
            services.audit,
            clock,
            logger.child({ component: 'wwan' }),
          ),
        },
        {
          provide: DeviceMeteredService,
          useValue: new DeviceMeteredService(
            services.devices,
            services.deviceService,
            services.configuration.configs,
            services.audit,
            clock,
            logger.child({ component: 'devices' }),
          ),
        },
        { provide: EnrolmentService, useValue: services.enrolment },
        { provide: HubInfo, useValue: hub },
        { provide: InstallService, useValue: createInstallService(services, hub, clock, logger) },
        { provide: CLOCK, useValue: clock },
        { provide: METRICS, useValue: services.metrics },
        { provide: MetricsAccess, useValue: services.metricsAccess },
        {
          provide: TerminalHistoryService,
          useValue: new TerminalHistoryService(services.terminalSessions, services.recordings, services.audit, clock),
        },
        terminalWebSocketProvider(
          services.auth,
          services.terminals,
          logger.child({ component: 'terminal-ws' }),
          services.scope,
        ),
        // health, alerts, fleet overview
        { provide: DeviceHealthService, useValue: services.deviceHealth },
        { provide: AlertService, useValue: services.alerts },
        { provide: FleetRepository, useValue: services.fleet },
        // desired-state configuration
        { provide: PolicyService, useValue: services.configuration.policies },
        { provide: GroupService, useValue: services.configuration.groups },
        { provide: RolloutService, useValue: services.configuration.rollouts },
        { provide: ComplianceService, useValue: services.configuration.compliance },
        { provide: ConfigService, useValue: services.configuration.configs },
        // device events
        { provide: DeviceEventsService, useValue: services.events },
        // antivirus status
        { provide: AntivirusStatusService, useValue: services.antivirus },
        // antivirus actions (scan now, restore)
        {
          provide: AntivirusActionsService,
          useValue: new AntivirusActionsService(
            services.deviceService,
            services.rpc,
            services.audit,
            clock,
            logger.child({ component: 'antivirus' }),
          ),
        },
        // agent packages for self-update
        { provide: AgentPackageService, useValue: services.agentPackages },
        { provide: DeviceAuthenticator, useValue: services.deviceAuth },
        // fleet registry
        { provide: RegistryImportService, useValue: services.registry.imports },
        { provide: RegistryLifecycleService, useValue: services.registry.lifecycle },
        { provide: RegistryDepartmentsService, useValue: services.registry.departments },
        { provide: RegistryDashboardService, useValue: services.registry.dashboard },
        { provide: VolunteerService, useValue: services.volunteers },
        // accounts: TOTP, account settings
        { provide: TotpService, useValue: services.totp },
        { provide: AccountSettingsRepository, useValue: services.accountSettings },
        { provide: AuditRepository, useValue: services.audit },
        { provide: DepartmentScopeService, useValue: services.scope },
        // audit log
        { provide: AuditService, useValue: new AuditService(services.audit) },
        { provide: APP_GUARD, useValue: new SessionGuard(services.auth, new Reflector(), services.scope) },
      ],
    };
  }
}
