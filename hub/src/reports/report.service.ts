import type { ReportMessage } from '@bascule/protocol';
import type { AdJoinService } from '../ad-join/ad-join.service.js';
import type { ConfigRepository } from '../config-publisher/config.repository.js';
import type { ConfigContent } from '../config-publisher/config.service.js';
import type { Logger } from '../core/logger.js';
import type { Db } from '../database/database.js';
import type { ConfigChanges } from '../policies/policy.service.js';
import type { ReportRepository } from './report.repository.js';

/** What the ingest service calls for a `report` message: inside its transaction, then after it. */
export interface ReportSink {
  record(tx: Db, deviceId: string, msg: ReportMessage, receivedAt: string): Promise<void>;
  recorded(deviceId: string, msg: ReportMessage): void;
}

/**
 * Turns agents' reports into the latest state of each module on each device, then lets what
 * depends on them react: a joined device's one-time password is dropped, rollouts are evaluated.
 */
export class ReportService implements ReportSink {
  constructor(
    private readonly repo: ReportRepository,
    private readonly configs: ConfigRepository,
    private readonly adJoin: AdJoinService,
    private readonly configChanges: ConfigChanges,
    private readonly rollouts: { requestTick(recompute?: boolean): void },
    private readonly logger: Logger,
  ) {}

  async record(tx: Db, deviceId: string, msg: ReportMessage, receivedAt: string): Promise<void> {
    for (const [module, r] of Object.entries(msg.modules)) {
      if (!r) continue;
      await this.repo.upsert(tx, {
        device_id: deviceId,
        module,
        policy_id: r.policyId,
        policy_revision: r.policyRevision,
        config_revision: msg.revision,
        status: r.status,
        error: r.error ?? null,
        steps: JSON.stringify(r.steps),
        observed: r.observed === undefined ? null : JSON.stringify(r.observed),
        at: r.at,
        received_at: receivedAt,
      });
    }
    if (msg.refused === undefined) return;
    // The whole config was refused: every module it held counts as invalid for that revision.
    await this.configs.setRefused(tx, deviceId, msg.revision, msg.refused);
    const config = await this.configs.find(deviceId, tx);
    if (config?.revision !== msg.revision) return;
    const content = JSON.parse(config.content) as ConfigContent;
    for (const [module, m] of Object.entries(content.modules)) {
      if (!m || msg.modules[module as keyof typeof msg.modules]) continue;
      await this.repo.upsert(tx, {
        device_id: deviceId,
        module,
        policy_id: m.policyId,
        policy_revision: m.policyRevision,
        config_revision: msg.revision,
        status: 'invalid',
        error: `the agent refused the whole configuration: ${msg.refused}`,
        steps: '[]',
        observed: null,
        at: msg.ts,
        received_at: receivedAt,
      });
    }
  }

  recorded(deviceId: string, msg: ReportMessage): void {
    this.rollouts.requestTick(false); // progress only: the timer's tick recomputes the fleet

    if (msg.modules['ad-join']?.status !== 'applied') return;
    void this.afterJoin(deviceId).catch((err: Error) =>
      this.logger.error('could not record the AD join', { deviceId, error: err }),
    );
  }

  private async afterJoin(deviceId: string): Promise<void> {
    const config = await this.configs.find(deviceId);
    if (!config) return;
    const settings = (JSON.parse(config.content) as ConfigContent).modules['ad-join']?.settings as
      | { domain?: string }
      | undefined;
    if (settings?.domain && (await this.adJoin.joined(deviceId, settings.domain))) {
      await this.configChanges.recompute();
    }
  }
}
