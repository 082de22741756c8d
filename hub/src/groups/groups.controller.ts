import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { type AuthedRequest, Roles, signedInOf } from '../auth/session.guard.js';
import { contentRange } from '../http/list-query.js';
import { ZodBody } from '../http/zod-body.pipe.js';
import { GroupService } from './group.service.js';

const groupBody = z.object({ name: z.string().trim().min(1).max(200), description: z.string().max(2000).optional() });
const patchBody = groupBody.partial();
const membersBody = z.object({ deviceIds: z.array(z.string().min(1).max(64)).min(1).max(10_000) });

/** Named device groups and their members. Administrators write; every role reads. */
@Controller('api/v1/groups')
export class GroupsController {
  constructor(@Inject(GroupService) private readonly groups: GroupService) {}

  @Get()
  async list(@Res({ passthrough: true }) res: Response) {
    const rows = await this.groups.list();
    res.setHeader('Content-Range', contentRange('groups', 0, rows.length, rows.length));
    return rows;
  }

  @Post()
  @Roles('admin')
  create(@Body(new ZodBody(groupBody)) body: z.infer<typeof groupBody>, @Req() req: AuthedRequest) {
    return this.groups.create(body, signedInOf(req).user.username);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.groups.get(id);
  }

  @Put(':id')
  @Roles('admin')
  update(
    @Param('id') id: string,
    @Body(new ZodBody(patchBody)) body: z.infer<typeof patchBody>,
    @Req() req: AuthedRequest,
  ) {
    return this.groups.update(id, body, signedInOf(req).user.username);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  remove(@Param('id') id: string, @Req() req: AuthedRequest) {
    return this.groups.remove(id, signedInOf(req).user.username);
  }

  @Get(':id/members')
  async members(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const rows = await this.groups.members(id);
    res.setHeader('Content-Range', contentRange('members', 0, rows.length, rows.length));
    return rows;
  }

  @Post(':id/members')
  @Roles('admin')
  @HttpCode(200)
  addMembers(
    @Param('id') id: string,
    @Body(new ZodBody(membersBody)) body: z.infer<typeof membersBody>,
    @Req() req: AuthedRequest,
  ) {
    return this.groups.addMembers(id, body.deviceIds, signedInOf(req).user.username);
  }

  @Delete(':id/members/:deviceId')
  @Roles('admin')
  @HttpCode(204)
  removeMember(@Param('id') id: string, @Param('deviceId') deviceId: string, @Req() req: AuthedRequest) {
    return this.groups.removeMember(id, deviceId, signedInOf(req).user.username);
  }
}
