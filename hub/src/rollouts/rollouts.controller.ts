import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { type AuthedRequest, Roles, signedInOf } from '../auth/session.guard.js';
import { ApiError } from '../http/http-errors.js';
import { contentRange } from '../http/list-query.js';
import { ZodBody } from '../http/zod-body.pipe.js';
import { RolloutService } from './rollout.service.js';

const createBody = z.object({
  policyId: z.string().min(1).max(64),
  revision: z.number().int().positive(),
  /** Checked by the service against ring-plan.ts, with field errors under `plan.…`. */
  plan: z.unknown().optional(),
});

/** Staged rollouts: create, follow, advance, pause, resume, roll back. Administrators act; every role reads. */
@Controller('api/v1/rollouts')
export class RolloutsController {
  constructor(@Inject(RolloutService) private readonly rollouts: RolloutService) {}

  @Get()
  async list(@Query('filter') rawFilter: string | undefined, @Res({ passthrough: true }) res: Response) {
    let filter: { policyId?: string; state?: string } = {};
    if (rawFilter) {
      try {
        filter = JSON.parse(rawFilter) as typeof filter;
      } catch {
        throw ApiError.badRequest('filter must be JSON, e.g. {"policyId":"…","state":"running"}');
      }
    }
    const rows = await this.rollouts.list(filter);
    res.setHeader('Content-Range', contentRange('rollouts', 0, rows.length, rows.length));
    return rows;
  }

  @Post()
  @Roles('admin')
  create(@Body(new ZodBody(createBody)) body: z.infer<typeof createBody>, @Req() req: AuthedRequest) {
    return this.rollouts.create(body, signedInOf(req).user.username);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.rollouts.get(id);
  }

  @Post(':id/advance')
  @Roles('admin')
  @HttpCode(200)
  advance(@Param('id') id: string, @Req() req: AuthedRequest) {
    return this.rollouts.advance(id, signedInOf(req).user.username);
  }

  @Post(':id/pause')
  @Roles('admin')
  @HttpCode(200)
  pause(@Param('id') id: string, @Req() req: AuthedRequest) {
    return this.rollouts.pause(id, signedInOf(req).user.username);
  }

  @Post(':id/resume')
  @Roles('admin')
  @HttpCode(200)
  resume(@Param('id') id: string, @Req() req: AuthedRequest) {
    return this.rollouts.resume(id, signedInOf(req).user.username);
  }

  @Post(':id/rollback')
  @Roles('admin')
  @HttpCode(200)
  rollback(@Param('id') id: string, @Req() req: AuthedRequest) {
    return this.rollouts.rollback(id, signedInOf(req).user.username);
  }
}
