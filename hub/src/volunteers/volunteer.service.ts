import { createHash, randomBytes } from 'node:crypto';
import type { IdGenerator } from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { VolunteerState } from '../database/schema.js';
import { ApiError } from '../http/http-errors.js';
import type { RegistryDepartmentsService } from '../registry/registry-departments.service.js';
import type { RegistryLifecycleService } from '../registry/registry-lifecycle.service.js';
import { hostnameKey, identitySerial } from '../registry/registry-mapping.js';
import type { CampaignRow, RequestRow, VolunteerRepository } from './volunteer.repository.js';
import type { VolunteerFormGuard } from './volunteer-form-guard.js';

export const VOLUNTEER_STATES: readonly VolunteerState[] = ['waiting', 'accepted', 'refused'];

/** What a staff member sends (already checked by the controller's strict schema). */
export interface VolunteerSubmission {
  name: string;
  departmentId?: string | null;
  machine: string;
  constraints?: string;
  email?: string;
  /** The honeypot: a field hidden from people, that bots fill. */
  website?: string;
  ticket: string;
}

export interface CampaignView {
  id: string;
  name: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  requests?: number;
}

export interface VolunteerView {
  id: string;
  campaignId: string;
  name: string;
  departmentId: string | null;
  machine: string;
  constraints: string;
  email: string | null;
  state: VolunteerState;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  machineId: string | null;
  refusalReason: string | null;
  /** Registry machines whose hostname or serial is the machine the volunteer typed. */
  matchingMachineIds: string[];
}

/** The public form's page data: the campaign's name, the department tree, and the form ticket. */
export interface VolunteerForm {
  campaign: string;
  departments: { id: string; name: string; parentId: string | null }[];
  ticket: string;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Volunteer sign-up: IT creates campaign links; anyone holding one files a request (and nothing
 * else); IT accepts a request (its registry machine becomes `candidate` with the volunteer as main
 * user) or refuses it. Every decision is audited.
 */
export class VolunteerService {
  constructor(
    private readonly repo: VolunteerRepository,
    private readonly departments: Pick<RegistryDepartmentsService, 'list' | 'get'>,
    private readonly lifecycle: Pick<RegistryLifecycleService, 'get' | 'changeStatus'>,
    private readonly guard: VolunteerFormGuard,
    private readonly audit: AuditRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  // ---- campaigns (IT)

  /** A new link; its token is given once here and only its hash is kept. */
  async createCampaign(name: string, actor: string): Promise<CampaignView & { token: string; path: string }> {
    const token = randomBytes(24).toString('base64url');
    const now = this.clock.now().toISOString();
    const id = this.ids();
    await this.repo.insertCampaign({
      id,
      name,
      token_hash: hashToken(token),
      created_by: actor,
      created_at: now,
      revoked_at: null,
    });
    await this.audit.record({ ts: now, actor, action: 'volunteer.campaign.created', target: id, detail: { name } });
    return { ...campaignView(await this.campaignRow(id)), token, path: `/volontaires/${token}` };
  }

  async campaigns(): Promise<CampaignView[]> {
    return (await this.repo.campaigns()).map((c) => ({ ...campaignView(c), requests: c.requests }));
  }

  /** The link stops working at once; the requests filed through it stay. */
  async revokeCampaign(id: string, actor: string): Promise<CampaignView> {
    const c = await this.campaignRow(id);
    if (c.revoked_at === null) {
      const now = this.clock.now().toISOString();
      await this.repo.revokeCampaign(id, now);
      await this.audit.record({ ts: now, actor, action: 'volunteer.campaign.revoked', target: id, detail: {} });
    }
    return campaignView(await this.campaignRow(id));
  }

  // ---- the public form

  async form(token: string): Promise<VolunteerForm> {
    const c = await this.liveCampaign(token);
    const departments = (await this.departments.list()).map((d) => ({ id: d.id, name: d.name, parentId: d.parentId }));
    return { campaign: c.name, departments, ticket: this.guard.ticket(c.id) };
  }

  /** Files one request; the only effect a form submission can have. */
  async submit(token: string, s: VolunteerSubmission, address: string): Promise<{ id: string }> {
    const wait = this.guard.hit(address);
    if (wait > 0) throw ApiError.tooManyRequests('too many requests from this address: try again later', wait);
    const c = await this.liveCampaign(token);
    if (s.website) {
      this.logger.warn('volunteer form: honeypot filled, refused', { campaignId: c.id });
      throw ApiError.badRequest('the request was refused');
    }
    const bad = this.guard.checkTicket(s.ticket, c.id);
    if (bad) {
      this.logger.warn('volunteer form: ticket refused', { campaignId: c.id, reason: bad });
      throw ApiError.badRequest(bad, { ticket: bad });
    }
    const departmentId = s.departmentId || null;
    if (departmentId !== null) {
      await this.departments.get(departmentId).catch((err: unknown) => {
        if (err instanceof ApiError && err.getStatus() === 404) {
          throw ApiError.badRequest('unknown department', { departmentId: 'unknown department' });
        }
        throw err;
      });
    }
    const now = this.clock.now().toISOString();
    const id = this.ids();
    await this.repo.insertRequest({
      id,
      campaign_id: c.id,
      name: s.name.trim(),
      department_id: departmentId,
      machine: s.machine.trim(),
      constraints: s.constraints?.trim() ?? '',
      email: s.email?.trim() || null,
      state: 'waiting',
      created_at: now,
      decided_by: null,
      decided_at: null,
      machine_id: null,
      refusal_reason: null,
    });
    await this.audit.record({
      ts: now,
      actor: `volunteer-form:${c.id}`,
      action: 'volunteer.request.created',
      target: id,
      detail: { name: s.name.trim(), machine: s.machine.trim(), departmentId },
    });
    this.logger.info('volunteer request filed', { requestId: id, campaignId: c.id });
    return { id };
  }

  // ---- triage (IT)

  async list(q: { states?: VolunteerState[]; offset: number; limit: number; order: 'asc' | 'desc' }) {
    const { rows, total } = await this.repo.requests(q);
    return { rows: await Promise.all(rows.map((r) => this.view(r))), total };
  }

  async get(id: string): Promise<VolunteerView> {
    return this.view(await this.requestRow(id));
  }

  /**
   * Accepts a waiting request: the registry machine (the one given, or the only one whose hostname
   * or serial the volunteer typed) becomes `candidate` with the volunteer as its main user.
   */
  async accept(id: string, machineId: string | undefined, actor: string): Promise<VolunteerView> {
    const r = await this.waitingRow(id);
    let target = machineId;
    if (target === undefined) {
      const found = await this.matching(r);
      if (found.length !== 1) {
        throw ApiError.badRequest(
          found.length === 0
            ? `no registry machine is named "${r.machine}": choose the machine`
            : `several registry machines fit "${r.machine}": choose the machine`,
          { machineId: 'choose the machine' },
        );
      }
      target = found[0];
    }
    if (target === undefined) throw new Error('unreachable: a machine was chosen');
    const before = await this.lifecycle.get(target);
    if (before.status === 'scheduled' || before.status === 'migrated') {
      // A volunteer never moves a machine back: it is already on its way, or there.
      throw ApiError.conflict(
        `machine ${before.hostname ?? target} is already ${before.status}: refuse the request or choose another machine`,
        'MACHINE_ALREADY_MOVING',
      );
    }
    const now = this.clock.now().toISOString();
    if (!(await this.repo.decide(id, { state: 'accepted', decided_by: actor, decided_at: now, machine_id: target }))) {
      throw ApiError.conflict(`volunteer request ${id} was decided meanwhile`, 'VOLUNTEER_DECIDED');
    }
    await this.repo.setMainUser(target, r.name, now);
    await this.lifecycle.changeStatus(target, { status: 'candidate' }, actor);
    await this.audit.record({
      ts: now,
      actor,
      action: 'volunteer.request.accepted',
      target: id,
      detail: {
        before: { state: 'waiting', mainUser: before.mainUser, status: before.status },
        after: { state: 'accepted', machineId: target, mainUser: r.name, status: 'candidate' },
      },
    });
    return this.get(id);
  }

  async refuse(id: string, reason: string | undefined, actor: string): Promise<VolunteerView> {
    await this.waitingRow(id);
    const now = this.clock.now().toISOString();
    const refusal = reason?.trim() || null;
    if (
      !(await this.repo.decide(id, { state: 'refused', decided_by: actor, decided_at: now, refusal_reason: refusal }))
    ) {
      throw ApiError.conflict(`volunteer request ${id} was decided meanwhile`, 'VOLUNTEER_DECIDED');
    }
    await this.audit.record({
      ts: now,
      actor,
      action: 'volunteer.request.refused',
      target: id,
      detail: { before: { state: 'waiting' }, after: { state: 'refused', reason: refusal } },
    });
    return this.get(id);
  }

  private async liveCampaign(token: string): Promise<CampaignRow> {
    const c = token.length <= 100 ? await this.repo.campaignByTokenHash(hashToken(token)) : undefined;
    if (!c || c.revoked_at !== null) throw ApiError.notFound('this volunteer link is not valid (or no longer)');
    return c;
  }

  private async campaignRow(id: string): Promise<CampaignRow> {
    const c = await this.repo.campaign(id);
    if (!c) throw ApiError.notFound(`no volunteer campaign ${id}`);
    return c;
  }

  private async requestRow(id: string): Promise<RequestRow> {
    const r = await this.repo.request(id);
    if (!r) throw ApiError.notFound(`no volunteer request ${id}`);
    return r;
  }

  private async waitingRow(id: string): Promise<RequestRow> {
    const r = await this.requestRow(id);
    if (r.state !== 'waiting')
      throw ApiError.conflict(`volunteer request ${id} is already ${r.state}`, 'VOLUNTEER_DECIDED');
    return r;
  }

  private matching(r: RequestRow): Promise<string[]> {
    return this.repo.machinesNamed(hostnameKey(r.machine), identitySerial(r.machine));
  }

  private async view(r: RequestRow): Promise<VolunteerView> {
    return {
      id: r.id,
      campaignId: r.campaign_id,
      name: r.name,
      departmentId: r.department_id,
      machine: r.machine,
      constraints: r.constraints,
      email: r.email,
      state: r.state,
      createdAt: r.created_at,
      decidedBy: r.decided_by,
      decidedAt: r.decided_at,
      machineId: r.machine_id,
      refusalReason: r.refusal_reason,
      matchingMachineIds: r.state === 'waiting' ? await this.matching(r) : [],
    };
  }
}

function campaignView(c: CampaignRow): CampaignView {
  return { id: c.id, name: c.name, createdBy: c.created_by, createdAt: c.created_at, revokedAt: c.revoked_at };
}
