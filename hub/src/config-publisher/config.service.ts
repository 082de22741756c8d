import { createHash } from 'node:crypto';
import {
  type AdJoinPolicy,
  type AgentUpdatePackage,
  type AgentUpdatePolicy,
  CONFIG_MODULES,
  type ConfigMessage,
  deviceTopic,
  encodePayload,
  type IdGenerator,
  PROTOCOL_VERSION,
} from '@bascule/protocol';
import type { AdJoinService, PresetRequest } from '../ad-join/ad-join.service.js';
import type { AgentPackageCatalog } from '../agent-packages/agent-package.service.js';
import type { DeviceLink } from '../broker/device-link.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { GroupRepository } from '../groups/group.repository.js';
import type { PolicyRepository, PolicyRow } from '../policies/policy.repository.js';
import type { RolloutRepository, RolloutRow } from '../rollouts/rollout.repository.js';
import { reachedDevices } from '../rollouts/rollout-rings.js';
import type { ConfigRepository, DeviceConfigRow } from './config.repository.js';
import { FleetSnapshot } from './fleet-snapshot.js';

/** What a device's config holds, without the envelope. */
export type ConfigContent = Pick<ConfigMessage, 'modules' | 'agent'>;

/** The fleet as one computation saw it: used by rollouts and compliance so they agree with the configs. */
export interface FleetView {
  snapshot: FleetSnapshot;
  /** Active rollouts by policy, with the devices that hold their new revision. */
  rollouts: Map<string, { row: RolloutRow; reached: Set<string> }>;
}

export interface RecomputeResult {
  devices: number;
  changed: number;
  published: number;
}

/** The revision of `policy` that `deviceId` gets: the rollout's new one once reached, else the deployed one. */
export function revisionFor(policy: PolicyRow, deviceId: string, view: FleetView): number | null {
  const rollout = view.rollouts.get(policy.id);
  if (rollout?.reached.has(deviceId)) return rollout.row.to_revision;
  return policy.deployed_revision;
}

/**
 * Computes each device's effective configuration from policies, assignments and rollouts, stores it
 * with a revision that grows by one on every change, and publishes it retained (QoS 1) on the
 * device's `config` topic. Computations run one at a time; requests made while one waits share it.
 */
export class ConfigService {
  private chain: Promise<unknown> = Promise.resolve();
  private queued: Promise<RecomputeResult> | null = null;

  constructor(
    private readonly configs: ConfigRepository,
    private readonly policies: PolicyRepository,
    private readonly groups: GroupRepository,
    private readonly rollouts: RolloutRepository,
    private readonly adJoin: AdJoinService,
    private readonly link: DeviceLink,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly agentPackages?: AgentPackageCatalog,
  ) {}

  /** Recomputes every device; resolves once changed configs are stored and handed to the broker. */
  recompute(): Promise<RecomputeResult> {
    if (this.queued) return this.queued;
    const next = this.chain.then(() => {
      this.queued = null;
      return this.run();
    });
    this.queued = next;
    this.chain = next.catch(() => undefined);
    return next;
  }

  async view(): Promise<FleetView> {
    const snapshot = await FleetSnapshot.load(this.configs, this.policies, this.groups);
    const rollouts = new Map<string, { row: RolloutRow; reached: Set<string> }>();
    for (const row of await this.rollouts.active()) {
      rollouts.set(row.policy_id, { row, reached: reachedDevices(row, snapshot) });
    }
    return { snapshot, rollouts };
  }

  /** Publishes every stored config again (the broker's retained store lives in memory). */
  async publishAll(): Promise<number> {
    const rows = await this.configs.all();
    await this.publish(rows);
    return rows.length;
  }

  find(deviceId: string): Promise<DeviceConfigRow | undefined> {
    return this.configs.find(deviceId);
  }

  private async run(): Promise<RecomputeResult> {
    const view = await this.view();
    const { snapshot } = view;
    const now = this.clock.now().toISOString();

    // Which policy revision each device gets, per module.
    const picks = new Map<string, { module: string; policy: PolicyRow; revision: number }[]>();
    const wanted = new Map<string, { policyId: string; revision: number }>();
    for (const d of snapshot.devices) {
      const list: { module: string; policy: PolicyRow; revision: number }[] = [];
      for (const [module, candidates] of snapshot.candidates(d.id)) {
        for (const c of candidates) {
          const policy = snapshot.policies.get(c.policyId) as PolicyRow;
          const revision = revisionFor(policy, d.id, view);
          if (revision === null) continue; // nothing deployed to this device yet: the next policy applies
          list.push({ module, policy, revision });
          wanted.set(`${policy.id}:${revision}`, { policyId: policy.id, revision });
          break;
        }
      }
      picks.set(d.id, list);
    }
    const documents = await this.policies.documents([...wanted.values()]);
    const accounts = await this.adJoin.accountsByDevice();
    const packages = (await this.agentPackages?.byVersion()) ?? new Map<string, AgentUpdatePackage>();
    const presets: PresetRequest[] = [];

    const existing = new Map((await this.configs.all()).map((r) => [r.device_id, r]));
    const changed: DeviceConfigRow[] = [];
    for (const d of snapshot.devices) {
      const modules: ConfigContent['modules'] = {};
      const byModule = new Map((picks.get(d.id) ?? []).map((p) => [p.module, p]));
      for (const module of CONFIG_MODULES) {
        const pick = byModule.get(module);
        if (!pick) continue;
        let settings = documents.get(`${pick.policy.id}:${pick.revision}`);
        if (module === 'ad-join') {
          const r = this.adJoin.resolve(d, settings as AdJoinPolicy, accounts);
          if (r.kind === 'waiting') {
            if (r.preset) presets.push(r.preset);
            continue;
          }
          settings = r.settings;
        }
        if (module === 'agent-update') {
          // The device downloads the package the policy names and checks its hash; without one the
          // agent reports the settings invalid, naming the missing version.
          const pkg = packages.get((settings as AgentUpdatePolicy).version);
          settings = { ...(settings as AgentUpdatePolicy), ...(pkg ? { package: pkg } : {}) };
        }
        modules[module] = { policyId: pick.policy.id, policyRevision: pick.revision, settings };
      }
      // `auto` is the agent's own default: left out, so that a device nobody set keeps its config as it was.
      const agent: ConfigContent['agent'] = d.metered === 'auto' ? {} : { metered: d.metered };
      const content = JSON.stringify({ modules, agent } satisfies ConfigContent);
      const hash = createHash('sha256').update(content).digest('hex');
      const before = existing.get(d.id);
      if (before?.hash === hash) continue;
      changed.push({
        device_id: d.id,
        revision: (before?.revision ?? 0) + 1,
        hash,
        content,
        updated_at: now,
        refused_revision: null,
        refused_error: null,
      });
    }
    await this.configs.save(changed);
    const published = await this.publish(changed);
    if (changed.length > 0) {
      this.logger.info('device configs changed', { changed: changed.length, devices: snapshot.devices.length });
    }
    if (presets.length > 0) {
      // adcli is slow: pre-create outside this computation, then compute again for those devices.
      void this.adJoin
        .preset(presets)
        .then((any) => (any ? this.recompute() : undefined))
        .catch((err: Error) => this.logger.error('AD pre-creation round failed', { error: err }));
    }
    return { devices: snapshot.devices.length, changed: changed.length, published };
  }

  private async publish(rows: DeviceConfigRow[]): Promise<number> {
    if (!this.link.attached || rows.length === 0) return 0;
    const ts = this.clock.now().toISOString();
    const results = await Promise.allSettled(
      rows.map((r) => {
        const content = JSON.parse(r.content) as ConfigContent;
        const message: ConfigMessage = { v: PROTOCOL_VERSION, id: this.ids(), ts, revision: r.revision, ...content };
        return this.link.publish(deviceTopic(r.device_id, 'config'), encodePayload(message), 1, { retain: true });
      }),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    if (failed.length > 0) {
      // Stored anyway: the next start (or change) publishes it again.
      this.logger.error('config publish failed', {
        failed: failed.length,
        error: (failed[0] as PromiseRejectedResult).reason as Error,
      });
    }
    return rows.length - failed.length;
  }
}
