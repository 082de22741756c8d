import type { IdGenerator } from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import type { RegistryPhase } from '../database/schema.js';
import { ApiError } from '../http/http-errors.js';
import type { DepartmentRow, RegistryRepository } from './registry.repository.js';
import { PHASES } from './registry-dashboard.repository.js';
import { departmentKey } from './registry-mapping.js';

export interface DepartmentView {
  id: string;
  name: string;
  parentId: string | null;
  phase: RegistryPhase;
  phaseChangedAt: string | null;
  createdAt: string;
}

/** The department tree of the registry and each department's phase; every change audited with before and after. */
export class RegistryDepartmentsService {
  constructor(
    private readonly registry: RegistryRepository,
    private readonly audit: AuditRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<DepartmentView[]> {
    return (await this.registry.departments()).map(departmentView);
  }

  /** One department; 404 for an unknown id. */
  async get(id: string): Promise<DepartmentView> {
    return departmentView(await this.departmentRow(id));
  }

  async create(input: { name: string; parentId: string | null; phase?: RegistryPhase }, actor: string) {
    const name = input.name.trim();
    if (!name || name.length > 200) throw ApiError.badRequest('a department name has 1 to 200 characters');
    if (input.parentId !== null) await this.departmentRow(input.parentId);
    if (await this.registry.departmentByKey(departmentKey(name))) {
      throw ApiError.conflict(
        `a department "${name}" already exists: names are unique in the tree`,
        'DEPARTMENT_EXISTS',
      );
    }
    const now = this.clock.now().toISOString();
    const id = this.ids();
    await this.registry.insertDepartment({
      id,
      name,
      name_key: departmentKey(name),
      parent_id: input.parentId,
      phase: input.phase ?? 'beta',
      phase_changed_at: input.phase ? now : null,
      created_at: now,
    });
    await this.audit.record({
      ts: now,
      actor,
      action: 'registry.department.created',
      target: id,
      detail: { after: { name, parentId: input.parentId, phase: input.phase ?? 'beta' } },
    });
    return this.get(id);
  }

  /** Renames, moves (never under itself or a descendant) or changes the phase of a department. */
  async update(
    id: string,
    patch: { name?: string; parentId?: string | null; phase?: RegistryPhase },
    actor: string,
  ): Promise<DepartmentView> {
    const d = await this.departmentRow(id);
    const now = this.clock.now().toISOString();
    const set: Parameters<RegistryRepository['updateDepartment']>[1] = {};
    if (patch.name !== undefined) {
      const name = patch.name.trim();
      if (!name || name.length > 200) throw ApiError.badRequest('a department name has 1 to 200 characters');
      const other = await this.registry.departmentByKey(departmentKey(name));
      if (other && other.id !== id) {
        throw ApiError.conflict(
          `a department "${name}" already exists: names are unique in the tree`,
          'DEPARTMENT_EXISTS',
        );
      }
      set.name = name;
      set.name_key = departmentKey(name);
    }
    if (patch.parentId !== undefined && patch.parentId !== d.parent_id) {
      if (patch.parentId !== null) {
        await this.departmentRow(patch.parentId);
        if (await this.registry.inSubtree(id, patch.parentId)) {
          throw ApiError.badRequest('a department cannot move under itself or one of its sub-departments');
        }
      }
      set.parent_id = patch.parentId;
    }
    if (patch.phase !== undefined && patch.phase !== d.phase) {
      if (!PHASES.includes(patch.phase))
        throw ApiError.badRequest(`unknown phase "${patch.phase}": use ${PHASES.join(', ')}`);
      set.phase = patch.phase;
      set.phase_changed_at = now;
    }
    if (Object.keys(set).length === 0) return departmentView(d);
    await this.registry.updateDepartment(id, set);
    await this.audit.record({
      ts: now,
      actor,
      action: set.phase ? 'registry.department.phase' : 'registry.department.updated',
      target: id,
      detail: {
        before: { name: d.name, parentId: d.parent_id, phase: d.phase },
        after: {
          name: set.name ?? d.name,
          parentId: set.parent_id === undefined ? d.parent_id : set.parent_id,
          phase: set.phase ?? d.phase,
        },
      },
    });
    return this.get(id);
  }

  /** Only an empty department goes: its machines and sub-departments must move first. */
  async delete(id: string, actor: string): Promise<void> {
    const d = await this.departmentRow(id);
    const use = await this.registry.departmentUse(id);
    if (use.children > 0 || use.machines > 0) {
      throw ApiError.conflict(
        `department "${d.name}" still has ${use.children} sub-department(s) and ${use.machines} machine(s)`,
        'DEPARTMENT_NOT_EMPTY',
      );
    }
    await this.registry.deleteDepartment(id);
    await this.audit.record({
      ts: this.clock.now().toISOString(),
      actor,
      action: 'registry.department.deleted',
      target: id,
      detail: { before: { name: d.name, parentId: d.parent_id, phase: d.phase } },
    });
  }

  private async departmentRow(id: string): Promise<DepartmentRow> {
    const d = await this.registry.department(id);
    if (!d) throw ApiError.notFound(`no department ${id}`);
    return d;
  }
}

function departmentView(d: DepartmentRow): DepartmentView {
  return {
    id: d.id,
    name: d.name,
    parentId: d.parent_id,
    phase: d.phase,
    phaseChangedAt: d.phase_changed_at,
    createdAt: d.created_at,
  };
}
