import type { IdGenerator } from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import { ApiError } from '../http/http-errors.js';
import type { ConfigChanges } from '../policies/policy.service.js';
import type { GroupRepository, GroupRow } from './group.repository.js';

export interface GroupView {
  id: string;
  name: string;
  description: string;
  members?: number;
  createdAt: string;
}

const toView = (g: GroupRow & { members?: number }): GroupView => ({
  id: g.id,
  name: g.name,
  description: g.description,
  ...(g.members !== undefined ? { members: Number(g.members) } : {}),
  createdAt: g.created_at,
});

/** Named device groups: targets of assignments and rollout rings. Changes are audited. */
export class GroupService {
  constructor(
    private readonly repo: GroupRepository,
    private readonly configs: ConfigChanges,
    private readonly audit: AuditRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<GroupView[]> {
    return (await this.repo.list()).map(toView);
  }

  async get(idOrName: string): Promise<GroupView> {
    return toView(await this.row(idOrName));
  }

  async create(input: { name: string; description?: string }, actor: string): Promise<GroupView> {
    if (await this.repo.findByName(input.name)) {
      throw ApiError.conflict(`a group named "${input.name}" exists`, 'NAME_TAKEN', { name: 'already used' });
    }
    const row: GroupRow = {
      id: this.ids(),
      name: input.name,
      description: input.description ?? '',
      created_at: this.clock.now().toISOString(),
    };
    await this.repo.insert(row);
    await this.audit.record({
      ts: row.created_at,
      actor,
      action: 'group.create',
      target: row.id,
      detail: { name: row.name },
    });
    return toView(row);
  }

  async update(id: string, patch: { name?: string; description?: string }, actor: string): Promise<GroupView> {
    const g = await this.row(id);
    if (patch.name !== undefined && patch.name !== g.name && (await this.repo.findByName(patch.name))) {
      throw ApiError.conflict(`a group named "${patch.name}" exists`, 'NAME_TAKEN', { name: 'already used' });
    }
    await this.repo.update(g.id, patch);
    await this.audit.record({
      ts: this.clock.now().toISOString(),
      actor,
      action: 'group.update',
      target: g.id,
      detail: {
        ...patch,
        before: { name: g.name, description: g.description },
        after: { name: patch.name ?? g.name, description: patch.description ?? g.description },
      },
    });
    return this.get(g.id);
  }

  async remove(id: string, actor: string): Promise<void> {
    const g = await this.row(id);
    await this.repo.delete(g.id);
    await this.audit.record({
      ts: this.clock.now().toISOString(),
      actor,
      action: 'group.delete',
      target: g.id,
      detail: { name: g.name, before: { name: g.name, description: g.description }, after: null },
    });
    await this.configs.recompute();
  }

  async members(id: string) {
    const g = await this.row(id);
    return (await this.repo.members(g.id)).map((d) => ({ ...d, online: d.online === 1 }));
  }

  async addMembers(id: string, deviceIds: string[], actor: string) {
    const g = await this.row(id);
    const unknown = await this.repo.addMembers(g.id, deviceIds);
    if (unknown.length > 0 && unknown.length === deviceIds.length) {
      throw ApiError.badRequest(`no device ${unknown.join(', ')}`, {
        deviceIds: `unknown devices: ${unknown.join(', ')}`,
      });
    }
    await this.audit.record({
      ts: this.clock.now().toISOString(),
      actor,
      action: 'group.members.add',
      target: g.id,
      detail: { deviceIds },
    });
    await this.configs.recompute();
    return { added: deviceIds.length - unknown.length, unknown };
  }

  async removeMember(id: string, deviceId: string, actor: string): Promise<void> {
    const g = await this.row(id);
    if (!(await this.repo.removeMember(g.id, deviceId)))
      throw ApiError.notFound(`device ${deviceId} is not in ${g.name}`);
    await this.audit.record({
      ts: this.clock.now().toISOString(),
      actor,
      action: 'group.members.remove',
      target: g.id,
      detail: { deviceId },
    });
    await this.configs.recompute();
  }

  /** A group by id or, failing that, by name (rings name "IT canary" in plain words). */
  async row(idOrName: string): Promise<GroupRow> {
    const g = (await this.repo.findById(idOrName)) ?? (await this.repo.findByName(idOrName));
    if (!g) throw ApiError.notFound(`no group ${idOrName}`);
    return g;
  }
}
