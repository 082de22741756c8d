import type { IdGenerator } from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { ConfigService, FleetView } from '../config-publisher/config.service.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { GroupService } from '../groups/group.service.js';
import { ApiError } from '../http/http-errors.js';
import type { PolicyRepository } from '../policies/policy.repository.js';
import { fieldErrors } from '../policies/policy-validation.js';
import { type ComplianceStatus, count, statusOf, zeroCounts } from '../reports/compliance.service.js';
import type { ReportRepository } from '../reports/report.repository.js';
import { type Ring, type RolloutPlan, rolloutPlanSchema } from './ring-plan.js';
import type { RolloutRepository, RolloutRow, RolloutState } from './rollout.repository.js';
import { planOf, ringsOf } from './rollout-rings.js';

export interface RingProgress {
  index: number;
  ring: Ring;
  /** The group's name, for a group ring. */
  groupName?: string;
  /** True once the ring has the new revision. */
  reached: boolean;
  devices: number;
  applied: number;
  failed: number;
  drift: number;
  pending: number;
  /** Pending devices that are connected: the ring is not settled while any is still applying. */
  pendingOnline: number;
  failureRate: number;
}

export interface RolloutFailure {
  deviceId: string;
  hostname: string;
  ring: number;
  status: ComplianceStatus;
  error: string | null;
  at: string | null;
}

export interface RolloutView {
  id: string;
  policyId: string;
  policyName: string;
  fromRevision: number | null;
  toRevision: number;
  state: RolloutState;
  reason: string | null;
  plan: RolloutPlan;
  currentRing: number;
  ringStartedAt: string;
  /** When the current ring's soak time is over (automatic advance). */
  soakEndsAt: string;
  rings: RingProgress[];
  failures: RolloutFailure[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

/** Default interval of the engine's timer. */
export const ROLLOUT_TICK_MS = 10_000;

/**
 * Staged rollouts of a policy revision: rings (groups, then waves by percentage) reached one after
 * the other, each after its soak time while its failure rate stays under the threshold; halted by
 * itself when a reached ring crosses it. Pause, resume, advance and roll back are the operator's.
 * Which devices hold which revision follows from the rollout's state (config.service.ts).
 */
export class RolloutService {
  private timer?: NodeJS.Timeout;
  private ticking: Promise<void> | null = null;
  private tickAgain = false;
  private recomputeAgain = false;

  constructor(
    private readonly repo: RolloutRepository,
    private readonly policies: PolicyRepository,
    private readonly groups: GroupService,
    private readonly reports: ReportRepository,
    private readonly configs: ConfigService,
    private readonly audit: AuditRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(intervalMs = ROLLOUT_TICK_MS): void {
    this.timer = setInterval(() => this.requestTick(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Evaluates the rollouts soon; calls made while an evaluation runs share the next one. `recompute`:
   * end with a fleet-wide config recompute (the timer's, for what changed outside the API). A device's
   * report asks without it: a report changes a rollout's progress, not anyone's config, and 1,000 reports
   * arriving together made the recomputes follow one another for the whole window (docs/performance.md).
   */
  requestTick(recompute = true): void {
    if (this.ticking) {
      this.tickAgain = true;
      this.recomputeAgain ||= recompute;
      return;
    }
    this.ticking = this.tick(recompute)
      .catch((err: Error) => this.logger.error('rollout evaluation failed', { error: err }))
      .finally(() => {
        this.ticking = null;
        if (this.tickAgain) {
          const again = this.recomputeAgain;
          this.tickAgain = false;
          this.recomputeAgain = false;
          this.requestTick(again);
        }
      });
  }

  /** Waits for the evaluation in progress, if any (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.ticking) await this.ticking;
  }

  async create(input: { policyId: string; revision: number; plan?: unknown }, actor: string): Promise<RolloutView> {
    const policy = await this.policies.findById(input.policyId);
    if (!policy) throw ApiError.notFound(`no policy ${input.policyId}`);
    if (!(await this.policies.revision(policy.id, input.revision))) {
      throw fieldErrors('unknown revision', [
        { path: ['revision'], message: `policy ${policy.name} has no revision ${input.revision}` },
      ]);
    }
    if (policy.deployed_revision === input.revision) {
      throw fieldErrors('nothing to roll out', [
        { path: ['revision'], message: `revision ${input.revision} is already deployed` },
      ]);
    }
    const active = await this.repo.activeForPolicy(policy.id);
    if (active) {
      throw ApiError.conflict(
        `rollout ${active.id} of ${policy.name} is ${active.state}: roll it back or let it complete first`,
        'ROLLOUT_IN_PROGRESS',
      );
    }
    const parsed = rolloutPlanSchema.safeParse(input.plan ?? {});
    if (!parsed.success) {
      throw fieldErrors(
        'the ring plan is not valid',
        parsed.error.issues.map((i) => ({ path: ['plan', ...i.path.map(String)], message: i.message })),
      );
    }
    const plan = parsed.data;
    // Groups are named in plain words; stored by id so that renaming one keeps the rollout.
    const issues: { path: (string | number)[]; message: string }[] = [];
    for (const [i, ring] of plan.rings.entries()) {
      if (ring.kind !== 'group') continue;
      try {
        ring.group = (await this.groups.row(ring.group)).id;
      } catch {
        issues.push({ path: ['plan', 'rings', i, 'group'], message: `no group ${ring.group}` });
      }
    }
    if (issues.length > 0) throw fieldErrors('the ring plan names unknown groups', issues);
    const now = this.clock.now().toISOString();
    const row: RolloutRow = {
      id: this.ids(),
      policy_id: policy.id,
      from_revision: policy.deployed_revision,
      to_revision: input.revision,
      state: 'running',
      plan: JSON.stringify(plan),
      current_ring: 0,
      ring_started_at: now,
      reason: null,
      created_at: now,
      created_by: actor,
      updated_at: now,
    };
    await this.repo.insert(row);
    await this.audit.record({
      ts: now,
      actor,
      action: 'rollout.create',
      target: row.id,
      detail: { policyId: policy.id, from: row.from_revision, to: row.to_revision, plan },
    });
    this.logger.info('rollout started', { rolloutId: row.id, policyId: policy.id, revision: input.revision });
    await this.configs.recompute();
    return this.get(row.id);
  }

  async list(filter: { policyId?: string; state?: string }): Promise<RolloutView[]> {
    const rows = await this.repo.list(filter);
    const view = await this.configs.view();
    return Promise.all(rows.map((r) => this.toView(r, view)));
  }

  async get(id: string): Promise<RolloutView> {
    return this.toView(await this.row(id), await this.configs.view());
  }

  /** Reaches the next ring now (the operator's decision, soak or not); past the last ring: completed. */
  async advance(id: string, actor: string): Promise<RolloutView> {
    const r = await this.row(id);
    if (r.state !== 'running' && r.state !== 'paused') {
      throw ApiError.conflict(`rollout ${id} is ${r.state}: only a running or paused one advances`, 'ROLLOUT_STATE');
    }
    await this.step(r, actor);
    await this.configs.recompute();
    return this.get(id);
  }

  async pause(id: string, actor: string): Promise<RolloutView> {
    return this.transition(id, ['running'], 'paused', actor, 'rollout.pause');
  }

  /** Running again, the soak of the current ring restarting now. A halted rollout halts again if its failures remain. */
  async resume(id: string, actor: string): Promise<RolloutView> {
    return this.transition(id, ['paused', 'halted'], 'running', actor, 'rollout.resume');
  }

  /**
   * Every device that got the new revision gets the previous one again (a new config revision). For
   * a completed rollout, the previous revision is deployed again.
   */
  async rollback(id: string, actor: string): Promise<RolloutView> {
    const r = await this.row(id);
    const now = this.clock.now().toISOString();
    if (r.state === 'completed') {
      const policy = await this.policies.findById(r.policy_id);
      const last = await this.repo.lastCompleted(r.policy_id);
      if (!policy || last?.id !== r.id || policy.deployed_revision !== r.to_revision) {
        throw ApiError.conflict(
          `rollout ${id} is no longer the policy's latest change: deploy a revision instead`,
          'ROLLOUT_STATE',
        );
      }
      if (await this.repo.activeForPolicy(r.policy_id)) {
        throw ApiError.conflict('another rollout of this policy is in progress', 'ROLLOUT_IN_PROGRESS');
      }
      await this.policies.update(r.policy_id, { deployed_revision: r.from_revision, updated_at: now });
    } else if (r.state === 'rolled-back') {
      throw ApiError.conflict(`rollout ${id} is already rolled back`, 'ROLLOUT_STATE');
    }
    await this.repo.update(id, { state: 'rolled-back', reason: `rolled back by ${actor}`, updated_at: now });
    await this.audit.record({
      ts: now,
      actor,
      action: 'rollout.rollback',
      target: id,
      detail: { from: r.to_revision, to: r.from_revision },
    });
    this.logger.info('rollout rolled back', { rolloutId: id, actor });
    await this.configs.recompute();
    return this.get(id);
  }

  /** One evaluation of every running rollout: halt on failures, advance after the soak, complete. */
  async tick(recompute = true): Promise<void> {
    const running = (await this.repo.active()).filter((r) => r.state === 'running');
    for (const row of running) {
      let r = row;
      // Rings with no device are passed through at once; at most one pass per ring.
      for (let guard = 0; guard <= planOf(r).rings.length; guard++) {
        const view = await this.configs.view();
        const plan = planOf(r);
        const progress = await this.progress(r, view);
        const over = progress.find((p) => p.reached && p.failed > 0 && p.failureRate >= plan.maxFailureRate);
        if (over) {
          const reason =
            `ring ${over.index + 1} (${ringLabel(over)}): ${over.failed} of ${over.devices} devices failed ` +
            `(${pct(over.failureRate)} ≥ ${pct(plan.maxFailureRate)})`;
          const now = this.clock.now().toISOString();
          await this.repo.update(r.id, { state: 'halted', reason, updated_at: now });
          await this.audit.record({ ts: now, actor: 'hub', action: 'rollout.halt', target: r.id, detail: { reason } });
          this.logger.warn('rollout halted', { rolloutId: r.id, reason });
          break;
        }
        const current = progress[r.current_ring];
        const soaked = Date.parse(r.ring_started_at) + plan.soakMinutes * 60_000 <= this.clock.now().getTime();
        // A ring whose connected devices have not all reported yet is not judged: its failures may
        // still be on their way (an offline device does not hold the rollout; the operator may advance).
        const settled = current !== undefined && current.pendingOnline === 0;
        if (!plan.autoAdvance || !(current?.devices === 0 || (soaked && settled))) break;
        await this.step(r, 'hub');
        const next = await this.repo.findById(r.id);
        if (next?.state !== 'running') break;
        r = next;
      }
    }
    // Also picks up what changed outside the API (new devices, departments): cheap when nothing did,
    // but fleet-wide. A ring's step above recomputes by itself.
    if (recompute) await this.configs.recompute();
  }

  private async step(r: RolloutRow, actor: string): Promise<void> {
    const plan = planOf(r);
    const now = this.clock.now().toISOString();
    if (r.current_ring >= plan.rings.length - 1) {
      await this.policies.update(r.policy_id, { deployed_revision: r.to_revision, updated_at: now });
      await this.repo.update(r.id, { state: 'completed', reason: null, updated_at: now });
      await this.audit.record({ ts: now, actor, action: 'rollout.complete', target: r.id });
      this.logger.info('rollout completed', { rolloutId: r.id });
      return;
    }
    const ring = r.current_ring + 1;
    await this.repo.update(r.id, { current_ring: ring, ring_started_at: now, updated_at: now });
    await this.audit.record({ ts: now, actor, action: 'rollout.advance', target: r.id, detail: { ring } });
    this.logger.info('rollout advanced', { rolloutId: r.id, ring, actor });
    await this.configs.recompute();
  }

  private async transition(
    id: string,
    from: RolloutState[],
    to: RolloutState,
    actor: string,
    action: string,
  ): Promise<RolloutView> {
    const r = await this.row(id);
    if (!from.includes(r.state)) {
      throw ApiError.conflict(`rollout ${id} is ${r.state}: cannot ${action.split('.')[1]} it`, 'ROLLOUT_STATE');
    }
    const now = this.clock.now().toISOString();
    await this.repo.update(id, {
      state: to,
      updated_at: now,
      ...(to === 'running' ? { ring_started_at: now, reason: null } : { reason: `paused by ${actor}` }),
    });
    await this.audit.record({ ts: now, actor, action, target: id });
    if (to === 'running') this.requestTick();
    return this.get(id);
  }

  private async progress(r: RolloutRow, view: FleetView, failures?: RolloutFailure[]): Promise<RingProgress[]> {
    const plan = planOf(r);
    const rings = ringsOf(r, view.snapshot);
    const states = new Map((await this.reports.forPolicy(r.policy_id)).map((s) => [s.device_id, s]));
    const hostnames = new Map(view.snapshot.devices.map((d) => [d.id, d.hostname]));
    const counts = plan.rings.map(() => zeroCounts());
    const pendingOnline = plan.rings.map(() => 0);
    const online = new Set(view.snapshot.devices.filter((d) => d.online).map((d) => d.id));
    const expected = { policyId: r.policy_id, policyRevision: r.to_revision };
    for (const [deviceId, ring] of rings) {
      const state = states.get(deviceId);
      const status = ring <= r.current_ring ? statusOf(expected, state) : 'pending';
      count(counts[ring] as ReturnType<typeof zeroCounts>, status);
      if (status === 'pending' && online.has(deviceId)) pendingOnline[ring] = (pendingOnline[ring] ?? 0) + 1;
      if (failures && (status === 'failed' || status === 'invalid')) {
        failures.push({
          deviceId,
          hostname: hostnames.get(deviceId) ?? deviceId,
          ring,
          status,
          error: state?.error ?? null,
          at: state?.at ?? null,
        });
      }
    }
    const groupNames = new Map((await this.groups.list()).map((g) => [g.id, g.name]));
    return plan.rings.map((ring, index) => {
      const c = counts[index] as ReturnType<typeof zeroCounts>;
      return {
        index,
        ring,
        ...(ring.kind === 'group' ? { groupName: groupNames.get(ring.group) ?? ring.group } : {}),
        reached: index <= r.current_ring && r.state !== 'rolled-back',
        ...c,
        pendingOnline: pendingOnline[index] ?? 0,
        failureRate: c.devices === 0 ? 0 : c.failed / c.devices,
      };
    });
  }

  private async toView(r: RolloutRow, view: FleetView): Promise<RolloutView> {
    const plan = planOf(r);
    const failures: RolloutFailure[] = [];
    const rings = await this.progress(r, view, failures);
    const policy = view.snapshot.policies.get(r.policy_id);
    return {
      id: r.id,
      policyId: r.policy_id,
      policyName: policy?.name ?? r.policy_id,
      fromRevision: r.from_revision,
      toRevision: r.to_revision,
      state: r.state,
      reason: r.reason,
      plan,
      currentRing: r.current_ring,
      ringStartedAt: r.ring_started_at,
      soakEndsAt: new Date(Date.parse(r.ring_started_at) + plan.soakMinutes * 60_000).toISOString(),
      rings,
      failures: failures.sort((a, b) => a.ring - b.ring || a.hostname.localeCompare(b.hostname)),
      createdAt: r.created_at,
      createdBy: r.created_by,
      updatedAt: r.updated_at,
    };
  }

  private async row(id: string): Promise<RolloutRow> {
    const r = await this.repo.findById(id);
    if (!r) throw ApiError.notFound(`no rollout ${id}`);
    return r;
  }
}

function ringLabel(p: RingProgress): string {
  return p.ring.kind === 'group' ? `group ${p.groupName ?? p.ring.group}` : `${p.ring.percent} %`;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
