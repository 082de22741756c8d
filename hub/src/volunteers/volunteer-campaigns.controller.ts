import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { z } from 'zod';
import { type AuthedRequest, Roles, signedInOf } from '../auth/session.guard.js';
import { ZodBody } from '../http/zod-body.pipe.js';
import { VolunteerService } from './volunteer.service.js';

const campaignBody = z.object({ name: z.string().trim().min(1).max(120) }).strict();

/** The links IT shares to call for volunteers: admin creates and revokes, admin and helpdesk read. */
@Controller('api/v1/registry/volunteer-campaigns')
export class VolunteerCampaignsController {
  constructor(@Inject(VolunteerService) private readonly volunteers: VolunteerService) {}

  @Get()
  @Roles('admin', 'helpdesk')
  list() {
    return this.volunteers.campaigns();
  }

  @Post()
  @Roles('admin')
  create(@Body(new ZodBody(campaignBody)) body: z.infer<typeof campaignBody>, @Req() req: AuthedRequest) {
    return this.volunteers.createCampaign(body.name, signedInOf(req).user.username);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('admin')
  revoke(@Param('id') id: string, @Req() req: AuthedRequest) {
    return this.volunteers.revokeCampaign(id, signedInOf(req).user.username);
  }
}
