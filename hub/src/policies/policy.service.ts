import type { IdGenerator } from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { DeviceRepository } from '../devices/device.repository.js';
import type { GroupRepository } from '../groups/group.repository.js';
import { ApiError } from '../http/http-errors.js';
import type { RolloutRepository } from '../rollouts/rollout.repository.js';
import { type JsonChange, jsonDiff } from './json-diff.js';
import type {
  AssignmentRow,
  PolicyRepository,
  PolicyRevisionRow,
  PolicyRow,
  PolicySortField,
} from './policy.repository.js';
import { redactPolicySecrets, restorePolicySecrets } from './policy-secrets.js';
import { fieldErrors, validatePolicyDocument } from './policy-validation.js';
import type { AssignmentKind } from './precedence.js';

/** Called after every change that may change what devices get. */
export interface ConfigChanges {
  recompute(): Promise<unknown>;
}

export interface AssignmentView {
  kind: AssignmentKind;
  /** Department name, group id or device id; absent for everyone. */
  target?: string;
}

export interface PolicyView {
  id: string;
  module: string;
  name: string;
  description: string;
  priority: number;
  latestRevision: number;
  deployedRevision: number | null;
  /** The latest revision's document. */
  document: unknown;
  assignments: AssignmentView[];
  createdAt: string;
  updatedAt: string;
}

export interface RevisionView {
  revision: number;
  comment: string;
  createdAt: string;
  createdBy: string;
  deployed: boolean;
  document?: unknown;
}

export interface PolicyInput {
  name: string;
  module: string;
  description?: string;
  priority?: number;
  document: unknown;
  /** Give the new revision to every targeted device at once (default); false keeps it for a rollout. */
  deploy?: boolean;
  comment?: string;
}

export type PolicyPatch = Partial<Omit<PolicyInput, 'module'>>;

const toAssignmentView = (a: AssignmentRow): AssignmentView =>
  a.kind === 'everyone' ? { kind: a.kind } : { kind: a.kind, target: a.target };

const toRevisionView = (r: PolicyRevisionRow, p: PolicyRow, withDocument: boolean): RevisionView => ({
  revision: r.revision,
  comment: r.comment,
  createdAt: r.created_at,
  createdBy: r.created_by,
  deployed: p.deployed_revision === r.revision,
  ...(withDocument ? { document: redactPolicySecrets(p.module, JSON.parse(r.document)) } : {}),
});

/**
 * Policies: one versioned document per module, validated against its schema; every change of the
 * document is a new revision (history kept). Every change is audited and recomputes device configs.
 */
export class PolicyService {
  constructor(
    private readonly repo: PolicyRepository,
    private readonly groups: GroupRepository,
    private readonly devices: DeviceRepository,
    private readonly rollouts: RolloutRepository,
    private readonly configs: ConfigChanges,
    private readonly audit: AuditRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async list(q: { module?: string; sort: PolicySortField; order: 'asc' | 'desc'; offset: number; limit: number }) {
    const { rows, total } = await this.repo.list(q);
    return { rows: await Promise.all(rows.map((p) => this.view(p))), total };
  }

  async get(id: string): Promise<PolicyView> {
    return this.view(await this.row(id));
  }

  async create(input: PolicyInput, actor: string): Promise<PolicyView> {
    const document = validatePolicyDocument(
      input.module,
      restorePolicySecrets(input.module, input.document, undefined),
    );
    if (await this.repo.findByName(input.name)) {
      throw ApiError.conflict(`a policy named "${input.name}" exists`, 'NAME_TAKEN', { name: 'already used' });
    }
    const now = this.clock.now().toISOString();
    const id = this.ids();
    await this.repo.transaction(async (tx) => {
      await tx.insert({
        id,
        module: input.module,
        name: input.name,
        description: input.description ?? '',
        priority: input.priority ?? 0,
        latest_revision: 1,
        deployed_revision: input.deploy === false ? null : 1,
        created_at: now,
        updated_at: now,
      });
      await tx.insertRevision({
        policy_id: id,
        revision: 1,
        document: JSON.stringify(document),
        comment: input.comment ?? '',
        created_at: now,
        created_by: actor,
      });
    });
    await this.audit.record({
      ts: now,
      actor,
      action: 'policy.create',
      target: id,
      detail: { name: input.name, module: input.module },
    });
    this.logger.info('policy created', { policyId: id, module: input.module, actor });
    await this.configs.recompute();
    return this.get(id);
  }

  async update(id: string, patch: PolicyPatch, actor: string): Promise<PolicyView> {
    const p = await this.row(id);
    const now = this.clock.now().toISOString();
    let revision: number | null = null;
    if (patch.document !== undefined) {
      const latest = await this.repo.revision(id, p.latest_revision);
      const previous = latest ? JSON.parse(latest.document) : undefined;
      const document = validatePolicyDocument(p.module, restorePolicySecrets(p.module, patch.document, previous));
      if (JSON.stringify(document) !== latest?.document) revision = p.latest_revision + 1;
      if (revision !== null && patch.deploy !== false)
        await this.refuseDuringRollout(id, 'save and deploy a new revision');
      if (revision !== null) {
        const r = revision;
        await this.repo.transaction(async (tx) => {
          await tx.insertRevision({
            policy_id: id,
            revision: r,
            document: JSON.stringify(document),
            comment: patch.comment ?? '',
            created_at: now,
            created_by: actor,
          });
          await tx.update(id, {
            latest_revision: r,
            ...(patch.deploy === false ? {} : { deployed_revision: r }),
            updated_at: now,
          });
        });
      }
    }
    if (patch.name !== undefined && patch.name !== p.name) {
      const other = await this.repo.findByName(patch.name);
      if (other && other.id !== id) {
        throw ApiError.conflict(`a policy named "${patch.name}" exists`, 'NAME_TAKEN', { name: 'already used' });
      }
    }
    await this.repo.update(id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
      updated_at: now,
    });
    await this.audit.record({
      ts: now,
      actor,
      action: 'policy.update',
      target: id,
      detail: {
        revision,
        deploy: patch.deploy !== false,
        fields: Object.keys(patch),
        before: {
          name: p.name,
          description: p.description,
          priority: p.priority,
          latestRevision: p.latest_revision,
          deployedRevision: p.deployed_revision,
        },
        after: {
          name: patch.name ?? p.name,
          description: patch.description ?? p.description,
          priority: patch.priority ?? p.priority,
          latestRevision: revision ?? p.latest_revision,
          deployedRevision: revision !== null && patch.deploy !== false ? revision : p.deployed_revision,
        },
      },
    });
    await this.configs.recompute();
    return this.get(id);
  }

  /** Gives `revision` to every targeted device now, without a rollout (also how to go back by hand). */
  async deploy(id: string, revision: number, actor: string): Promise<PolicyView> {
    const p = await this.row(id);
    if (!(await this.repo.revision(id, revision)))
      throw ApiError.notFound(`policy ${p.name} has no revision ${revision}`);
    await this.refuseDuringRollout(id, 'deploy a revision');
    const now = this.clock.now().toISOString();
    await this.repo.update(id, { deployed_revision: revision, updated_at: now });
    await this.audit.record({
      ts: now,
      actor,
      action: 'policy.deploy',
      target: id,
      detail: { revision, before: { deployedRevision: p.deployed_revision }, after: { deployedRevision: revision } },
    });
    await this.configs.recompute();
    return this.get(id);
  }

  async remove(id: string, actor: string): Promise<void> {
    const p = await this.row(id);
    await this.refuseDuringRollout(id, 'delete the policy');
    await this.repo.delete(id);
    await this.audit.record({
      ts: this.clock.now().toISOString(),
      actor,
      action: 'policy.delete',
      target: id,
      detail: {
        name: p.name,
        before: { name: p.name, module: p.module, deployedRevision: p.deployed_revision },
        after: null,
      },
    });
    await this.configs.recompute();
  }

  async revisions(id: string): Promise<RevisionView[]> {
    const p = await this.row(id);
    return (await this.repo.revisions(id)).map((r) => toRevisionView(r, p, false));
  }

  async revision(id: string, revision: number): Promise<RevisionView> {
    const p = await this.row(id);
    const r = await this.repo.revision(id, revision);
    if (!r) throw ApiError.notFound(`policy ${p.name} has no revision ${revision}`);
    return toRevisionView(r, p, true);
  }

  /** What changed from revision `from` to revision `to` (JSON Pointer paths into the document). */
  async diff(id: string, from: number, to: number): Promise<{ from: number; to: number; changes: JsonChange[] }> {
    const a = await this.revision(id, from);
    const b = await this.revision(id, to);
    return { from, to, changes: jsonDiff(a.document, b.document) };
  }

  async assignments(id: string): Promise<AssignmentView[]> {
    await this.row(id);
    return (await this.repo.assignments(id)).map(toAssignmentView);
  }

  /** Replaces the policy's assignments. Groups may be given by id or name; unknown targets are refused by field. */
  async setAssignments(id: string, list: AssignmentView[], actor: string): Promise<AssignmentView[]> {
    await this.row(id);
    const rows: Omit<AssignmentRow, 'policy_id'>[] = [];
    const issues: { path: (string | number)[]; message: string }[] = [];
    for (const [i, a] of list.entries()) {
      if (a.kind === 'everyone') {
        rows.push({ kind: 'everyone', target: '' });
        continue;
      }
      const target = a.target?.trim() ?? '';
      if (!target) {
        issues.push({ path: [i, 'target'], message: `a ${a.kind} assignment needs a target` });
        continue;
      }
      if (a.kind === 'group') {
        const g = (await this.groups.findById(target)) ?? (await this.groups.findByName(target));
        if (!g) issues.push({ path: [i, 'target'], message: `no group ${target}` });
        else rows.push({ kind: 'group', target: g.id });
      } else if (a.kind === 'device') {
        if (!(await this.devices.findById(target)))
          issues.push({ path: [i, 'target'], message: `no device ${target}` });
        else rows.push({ kind: 'device', target });
      } else {
        rows.push({ kind: 'department', target });
      }
    }
    if (issues.length > 0) throw fieldErrors('some assignments name nothing known', issues);
    const unique = [...new Map(rows.map((r) => [`${r.kind}:${r.target}`, r])).values()];
    await this.repo.transaction((tx) => tx.replaceAssignments(id, unique));
    await this.audit.record({
      ts: this.clock.now().toISOString(),
      actor,
      action: 'policy.assign',
      target: id,
      detail: unique,
    });
    await this.configs.recompute();
    return this.assignments(id);
  }

  private async refuseDuringRollout(id: string, what: string): Promise<void> {
    const active = await this.rollouts.activeForPolicy(id);
    if (active) {
      throw ApiError.conflict(
        `cannot ${what} while rollout ${active.id} (revision ${active.to_revision}, ${active.state}) is in progress: roll it back or let it complete first (or save with "deploy": false)`,
        'ROLLOUT_IN_PROGRESS',
      );
    }
  }

  private async row(id: string): Promise<PolicyRow> {
    const p = await this.repo.findById(id);
    if (!p) throw ApiError.notFound(`no policy ${id}`);
    return p;
  }

  private async view(p: PolicyRow): Promise<PolicyView> {
    const latest = await this.repo.revision(p.id, p.latest_revision);
    return {
      id: p.id,
      module: p.module,
      name: p.name,
      description: p.description,
      priority: p.priority,
      latestRevision: p.latest_revision,
      deployedRevision: p.deployed_revision,
      document: latest ? redactPolicySecrets(p.module, JSON.parse(latest.document)) : null,
      assignments: (await this.repo.assignments(p.id)).map(toAssignmentView),
      createdAt: p.created_at,
      updatedAt: p.updated_at,
    };
  }
}
