import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { ExceptionReason, RegistryPhase, RegistryStatus, ReviewState } from '../database/schema.js';
import { ApiError } from '../http/http-errors.js';
import type { MachineListQuery, MachineListRow, RegistryRepository } from './registry.repository.js';
import type { RegistryDepartmentsService } from './registry-departments.service.js';
import type { RegistryMatcher } from './registry-matcher.js';
import type { RegistryReviewRepository, ReviewRow } from './registry-review.repository.js';
import { applyStatus, type StatusChange } from './registry-status.js';

/** A registry machine as the API gives it. */
export interface MachineView {
  id: string;
  serial: string | null;
  hostname: string | null;
  macs: string[];
  departmentId: string | null;
  department: string | null;
  phase: RegistryPhase | null;
  mainUser: string | null;
  os: string | null;
  status: RegistryStatus;
  exceptionReason: ExceptionReason | null;
  exceptionWorkaround: string | null;
  rollbackReason: string | null;
  deviceId: string | null;
  deviceHostname: string | null;
  importId: string | null;
  createdAt: string;
  updatedAt: string;
  statusChangedAt: string;
}

export interface ReviewView {
  id: string;
  deviceId: string;
  hostname: string;
  serial: string;
  level: string;
  candidates: MachineView[];
  state: ReviewState;
  createdAt: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
  machineId: string | null;
}

export type ReviewResolution = { action: 'link'; machineId: string } | { action: 'keep-apart' };

/** The migration lifecycle of each machine (status, department) and the review list of ambiguous matches. */
export class RegistryLifecycleService {
  constructor(
    private readonly registry: RegistryRepository,
    private readonly reviewItems: RegistryReviewRepository,
    private readonly departments: Pick<RegistryDepartmentsService, 'get'>,
    private readonly matcher: Pick<RegistryMatcher, 'link' | 'deviceChanged'>,
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  // ---- machines

  async list(q: MachineListQuery): Promise<{ rows: MachineView[]; total: number }> {
    if (q.filter.departmentId !== undefined) await this.departments.get(q.filter.departmentId);
    const { rows, total } = await this.registry.list(q);
    return { rows: rows.map(machineView), total };
  }

  async get(id: string): Promise<MachineView> {
    return machineView(await this.machineRow(id));
  }

  /** Changes a machine's status by the rules of registry-status.ts; audited with before and after. */
  async changeStatus(id: string, change: StatusChange, actor: string): Promise<MachineView> {
    const m = await this.machineRow(id);
    const cols = applyStatus(change, m.device_id);
    if (typeof cols === 'string') throw ApiError.badRequest(cols, { status: cols });
    const now = this.clock.now().toISOString();
    await this.registry.updateMachine(id, {
      ...cols,
      updated_at: now,
      ...(cols.status !== m.status ? { status_changed_at: now } : {}),
    });
    await this.audit.record({
      ts: now,
      actor,
      action: 'registry.machine.status',
      target: id,
      detail: {
        before: statusDetail(m),
        after: {
          status: cols.status,
          exceptionReason: cols.exception_reason,
          exceptionWorkaround: cols.exception_workaround,
          rollbackReason: cols.rollback_reason,
        },
      },
    });
    this.logger.info('registry machine status changed', { machineId: id, from: m.status, to: cols.status, actor });
    return this.get(id);
  }

  /** Moves a machine to another department (or none); audited. */
  async setDepartment(id: string, departmentId: string | null, actor: string): Promise<MachineView> {
    const m = await this.machineRow(id);
    if (departmentId !== null) await this.departments.get(departmentId);
    const now = this.clock.now().toISOString();
    await this.registry.updateMachine(id, { department_id: departmentId, updated_at: now });
    await this.audit.record({
      ts: now,
      actor,
      action: 'registry.machine.department',
      target: id,
      detail: { before: { departmentId: m.department_id }, after: { departmentId } },
    });
    return this.get(id);
  }

  // ---- review list

  async reviews(q: { states?: ReviewState[]; offset: number; limit: number; order: 'asc' | 'desc' }) {
    const { rows, total } = await this.reviewItems.list(q);
    return { rows: await Promise.all(rows.map((r) => this.reviewView(r))), total };
  }

  async review(id: string): Promise<ReviewView> {
    const r = await this.reviewItems.get(id);
    if (!r) throw ApiError.notFound(`no review item ${id}`);
    return this.reviewView(r);
  }

  /**
   * Links the device to one of the candidates (which must not be linked to another device), or keeps
   * it apart: matching then leaves this device alone.
   */
  async resolveReview(id: string, resolution: ReviewResolution, actor: string): Promise<ReviewView> {
    const r = await this.reviewItems.get(id);
    if (!r) throw ApiError.notFound(`no review item ${id}`);
    if (r.state !== 'open') throw ApiError.conflict(`review item ${id} is already ${r.state}`, 'REVIEW_RESOLVED');
    const now = this.clock.now().toISOString();
    if (resolution.action === 'link') {
      const candidates = JSON.parse(r.candidates) as string[];
      if (!candidates.includes(resolution.machineId)) {
        throw ApiError.badRequest(`machine ${resolution.machineId} is not one of this item's candidates`);
      }
      const m = await this.machineRow(resolution.machineId);
      if (m.device_id !== null && m.device_id !== r.device_id) {
        throw ApiError.conflict(
          `machine ${m.id} is linked to device ${m.device_id}: set that link apart first`,
          'MACHINE_LINKED',
        );
      }
      const already = await this.registry.machineByDevice(r.device_id);
      if (already && already.id !== m.id) {
        throw ApiError.conflict(`device ${r.device_id} is already linked to machine ${already.id}`, 'DEVICE_LINKED');
      }
      await this.reviewItems.resolve(id, { state: 'linked', resolved_by: actor, resolved_at: now, machine_id: m.id });
      await this.matcher.link(m, { id: r.device_id, hostname: r.hostname }, 'review', actor);
      // The agent may already be healthy: the status follows at once, not at the next inventory.
      await this.matcher.deviceChanged(r.device_id);
    } else {
      await this.reviewItems.resolve(id, {
        state: 'kept-apart',
        resolved_by: actor,
        resolved_at: now,
        machine_id: null,
      });
    }
    await this.audit.record({
      ts: now,
      actor,
      action: 'registry.review.resolved',
      target: id,
      detail: {
        before: { state: 'open' },
        after: {
          state: resolution.action === 'link' ? 'linked' : 'kept-apart',
          machineId: resolution.action === 'link' ? resolution.machineId : null,
        },
        deviceId: r.device_id,
      },
    });
    return this.review(id);
  }

  private async reviewView(r: ReviewRow): Promise<ReviewView> {
    const ids = JSON.parse(r.candidates) as string[];
    const { rows } = await this.registry.list({
      filter: { ids },
      sort: 'id',
      order: 'asc',
      offset: 0,
      limit: ids.length || 1,
    });
    return {
      id: r.id,
      deviceId: r.device_id,
      hostname: r.hostname,
      serial: r.serial,
      level: r.level,
      candidates: rows.map(machineView),
      state: r.state,
      createdAt: r.created_at,
      resolvedBy: r.resolved_by,
      resolvedAt: r.resolved_at,
      machineId: r.machine_id,
    };
  }

  private async machineRow(id: string): Promise<MachineListRow> {
    const m = await this.registry.machine(id);
    if (!m) throw ApiError.notFound(`no registry machine ${id}`);
    return m;
  }
}

function statusDetail(m: MachineListRow) {
  return {
    status: m.status,
    exceptionReason: m.exception_reason,
    exceptionWorkaround: m.exception_workaround,
    rollbackReason: m.rollback_reason,
  };
}

export function machineView(m: MachineListRow): MachineView {
  return {
    id: m.id,
    serial: m.serial,
    hostname: m.hostname,
    macs: m.macs ? m.macs.split(' ').sort() : [],
    departmentId: m.department_id,
    department: m.department_name,
    phase: m.phase,
    mainUser: m.main_user,
    os: m.os,
    status: m.status,
    exceptionReason: m.exception_reason,
    exceptionWorkaround: m.exception_workaround,
    rollbackReason: m.rollback_reason,
    deviceId: m.device_id,
    deviceHostname: m.device_hostname,
    importId: m.import_id,
    createdAt: m.created_at,
    updatedAt: m.updated_at,
    statusChangedAt: m.status_changed_at,
  };
}
