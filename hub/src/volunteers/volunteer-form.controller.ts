import { Body, Controller, Get, Inject, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { Public } from '../auth/session.guard.js';
import { ZodBody } from '../http/zod-body.pipe.js';
import { VolunteerService } from './volunteer.service.js';

/**
 * Everything a submission may hold: unknown keys (a status, a machine id...) are refused, so a forged
 * request can only ever file a request.
 */
export const submissionBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    departmentId: z.string().max(64).nullable().optional(),
    machine: z.string().trim().min(1).max(120),
    constraints: z.string().max(2000).optional(),
    email: z.union([z.literal(''), z.string().trim().email().max(254)]).optional(),
    website: z.string().max(200).optional(),
    ticket: z.string().min(1).max(200),
  })
  .strict();

/** The public volunteer form (no account): the link's token is the only key. */
@Controller('api/v1/volunteer-form')
export class VolunteerFormController {
  constructor(@Inject(VolunteerService) private readonly volunteers: VolunteerService) {}

  @Public()
  @Get(':token')
  form(@Param('token') token: string) {
    return this.volunteers.form(token);
  }

  @Public()
  @Post(':token')
  submit(
    @Param('token') token: string,
    @Body(new ZodBody(submissionBody)) body: z.infer<typeof submissionBody>,
    @Req() req: Request,
  ) {
    return this.volunteers.submit(token, body, req.ip ?? 'unknown');
  }
}
