import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { type AuthedRequest, Roles, signedInOf } from '../auth/session.guard.js';
import type { ReviewState } from '../database/schema.js';
import { ApiError } from '../http/http-errors.js';
import { contentRange, parseListQuery } from '../http/list-query.js';
import { ZodBody } from '../http/zod-body.pipe.js';
import { RegistryLifecycleService } from './registry-lifecycle.service.js';

const STATES: readonly ReviewState[] = ['open', 'linked', 'kept-apart'];
const resolveBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('link'), machineId: z.string().min(1).max(64) }),
  z.object({ action: z.literal('keep-apart') }),
]);

/** Ambiguous matches waiting for a person: everyone signed in reads, admin and helpdesk resolve. */
@Controller('api/v1/registry/reviews')
export class RegistryReviewsController {
  constructor(@Inject(RegistryLifecycleService) private readonly lifecycle: RegistryLifecycleService) {}

  @Get()
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const q = parseListQuery(query, ['createdAt'] as const, 'createdAt');
    let states: ReviewState[] | undefined;
    for (const [key, value] of Object.entries(q.filter)) {
      if (key !== 'state') throw ApiError.badRequest(`unknown filter "${key}": use state`);
      const list = (Array.isArray(value) ? value : [value]) as string[];
      const bad = list.find((s) => !STATES.includes(s as ReviewState));
      if (bad !== undefined) throw ApiError.badRequest(`filter.state "${bad}": use ${STATES.join(', ')}`);
      states = list as ReviewState[];
    }
    const { rows, total } = await this.lifecycle.reviews({ states, offset: q.offset, limit: q.limit, order: q.order });
    res.setHeader('Content-Range', contentRange('registry/reviews', q.offset, rows.length, total));
    return rows;
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.lifecycle.review(id);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('admin', 'helpdesk')
  resolve(
    @Param('id') id: string,
    @Body(new ZodBody(resolveBody)) body: z.infer<typeof resolveBody>,
    @Req() req: AuthedRequest,
  ) {
    return this.lifecycle.resolveReview(id, body, signedInOf(req).user.username);
  }
}
