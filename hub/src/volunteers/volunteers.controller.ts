import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { type AuthedRequest, Roles, signedInOf } from '../auth/session.guard.js';
import type { VolunteerState } from '../database/schema.js';
import { ApiError } from '../http/http-errors.js';
import { contentRange, parseListQuery } from '../http/list-query.js';
import { ZodBody } from '../http/zod-body.pipe.js';
import { VOLUNTEER_STATES, VolunteerService } from './volunteer.service.js';

const acceptBody = z.object({ machineId: z.string().min(1).max(64).optional() }).strict();
const refuseBody = z.object({ reason: z.string().max(2000).optional() }).strict();

/** Volunteer requests: everyone signed in reads; admin and helpdesk accept or refuse. */
@Controller('api/v1/registry/volunteers')
export class VolunteersController {
  constructor(@Inject(VolunteerService) private readonly volunteers: VolunteerService) {}

  @Get()
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const q = parseListQuery(query, ['createdAt'] as const, 'createdAt');
    let states: VolunteerState[] | undefined;
    for (const [key, value] of Object.entries(q.filter)) {
      if (key !== 'state') throw ApiError.badRequest(`unknown filter "${key}": use state`);
      const list = (Array.isArray(value) ? value : [value]) as string[];
      const bad = list.find((s) => !VOLUNTEER_STATES.includes(s as VolunteerState));
      if (bad !== undefined) throw ApiError.badRequest(`filter.state "${bad}": use ${VOLUNTEER_STATES.join(', ')}`);
      states = list as VolunteerState[];
    }
    const { rows, total } = await this.volunteers.list({ states, offset: q.offset, limit: q.limit, order: q.order });
    res.setHeader('Content-Range', contentRange('registry/volunteers', q.offset, rows.length, total));
    return rows;
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.volunteers.get(id);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Roles('admin', 'helpdesk')
  accept(
    @Param('id') id: string,
    @Body(new ZodBody(acceptBody)) body: z.infer<typeof acceptBody>,
    @Req() req: AuthedRequest,
  ) {
    return this.volunteers.accept(id, body.machineId, signedInOf(req).user.username);
  }

  @Post(':id/refuse')
  @HttpCode(200)
  @Roles('admin', 'helpdesk')
  refuse(
    @Param('id') id: string,
    @Body(new ZodBody(refuseBody)) body: z.infer<typeof refuseBody>,
    @Req() req: AuthedRequest,
  ) {
    return this.volunteers.refuse(id, body.reason, signedInOf(req).user.username);
  }
}
