import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { type AuthedRequest, Roles, signedInOf } from '../auth/session.guard.js';
import { ApiError } from '../http/http-errors.js';
import { contentRange, parseListQuery } from '../http/list-query.js';
import { ZodBody } from '../http/zod-body.pipe.js';
import { ComplianceService } from '../reports/compliance.service.js';
import { POLICY_SORT_FIELDS, type PolicySortField } from './policy.repository.js';
import { PolicyService } from './policy.service.js';

const common = {
  description: z.string().max(2000).optional(),
  priority: z.number().int().min(-1000).max(1000).optional(),
  deploy: z.boolean().optional(),
  comment: z.string().max(500).optional(),
};
const createBody = z.object({
  name: z.string().trim().min(1).max(200),
  module: z.string().min(1).max(64),
  document: z.unknown(),
  ...common,
});
const updateBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  document: z.unknown().optional(),
  ...common,
});
const assignmentsBody = z
  .array(
    z.object({
      kind: z.enum(['everyone', 'department', 'group', 'device']),
      target: z.string().max(200).optional(),
    }),
  )
  .max(1000);
const deployBody = z.object({ revision: z.number().int().positive() });

export function revisionParam(name: string, raw: unknown): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw ApiError.badRequest(`${name} must be a revision number (1, 2, …)`);
  return n;
}

/** Policies, their revisions, diffs and assignments. Administrators write; every role reads. */
@Controller('api/v1/policies')
export class PoliciesController {
  constructor(
    @Inject(PolicyService) private readonly policies: PolicyService,
    @Inject(ComplianceService) private readonly compliance: ComplianceService,
  ) {}

  @Get()
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const q = parseListQuery(query, Object.keys(POLICY_SORT_FIELDS) as PolicySortField[], 'name');
    const { module, ...rest } = q.filter;
    if (Object.keys(rest).length > 0) throw ApiError.badRequest('unknown filter: use module');
    if (module !== undefined && typeof module !== 'string') throw ApiError.badRequest('filter.module must be a string');
    const { rows, total } = await this.policies.list({ ...q, ...(module ? { module } : {}) });
    res.setHeader('Content-Range', contentRange('policies', q.offset, rows.length, total));
    return rows;
  }

  @Post()
  @Roles('admin')
  create(@Body(new ZodBody(createBody)) body: z.infer<typeof createBody>, @Req() req: AuthedRequest) {
    return this.policies.create(body, signedInOf(req).user.username);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.policies.get(id);
  }

  @Put(':id')
  @Roles('admin')
  update(
    @Param('id') id: string,
    @Body(new ZodBody(updateBody)) body: z.infer<typeof updateBody>,
    @Req() req: AuthedRequest,
  ) {
    return this.policies.update(id, body, signedInOf(req).user.username);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  remove(@Param('id') id: string, @Req() req: AuthedRequest) {
    return this.policies.remove(id, signedInOf(req).user.username);
  }

  @Get(':id/revisions')
  async revisions(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const rows = (await this.policies.revisions(id)).map((r) => ({ id: r.revision, ...r }));
    res.setHeader('Content-Range', contentRange('revisions', 0, rows.length, rows.length));
    return rows;
  }

  @Get(':id/revisions/:revision')
  revision(@Param('id') id: string, @Param('revision') revision: string) {
    return this.policies.revision(id, revisionParam('revision', revision));
  }

  /** `?from=1&to=2` (default: the revision before the latest, and the latest). */
  @Get(':id/diff')
  async diff(@Param('id') id: string, @Query('from') from?: string, @Query('to') to?: string) {
    const latest = (await this.policies.get(id)).latestRevision;
    const b = to === undefined ? latest : revisionParam('to', to);
    const a = from === undefined ? Math.max(1, b - 1) : revisionParam('from', from);
    return this.policies.diff(id, a, b);
  }

  @Get(':id/assignments')
  assignments(@Param('id') id: string) {
    return this.policies.assignments(id);
  }

  @Put(':id/assignments')
  @Roles('admin')
  setAssignments(
    @Param('id') id: string,
    @Body(new ZodBody(assignmentsBody)) body: z.infer<typeof assignmentsBody>,
    @Req() req: AuthedRequest,
  ) {
    return this.policies.setAssignments(id, body, signedInOf(req).user.username);
  }

  @Post(':id/deploy')
  @Roles('admin')
  @HttpCode(200)
  deploy(
    @Param('id') id: string,
    @Body(new ZodBody(deployBody)) body: z.infer<typeof deployBody>,
    @Req() req: AuthedRequest,
  ) {
    return this.policies.deploy(id, body.revision, signedInOf(req).user.username);
  }

  @Get(':id/compliance')
  policyCompliance(@Param('id') id: string) {
    return this.compliance.policy(id);
  }
}
