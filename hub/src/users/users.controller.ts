import { Body, Controller, Delete, Get, Inject, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { type AuthedRequest, Roles, signedInOf } from '../auth/session.guard.js';
import { ROLES } from '../auth/user.repository.js';
import { contentRange, parseListQuery } from '../http/list-query.js';
import { ZodBody } from '../http/zod-body.pipe.js';
import { UserService } from './user.service.js';

const role = z.enum(ROLES as ['admin', 'helpdesk', 'viewer']);
const createBody = z.object({ username: z.string().max(64), role, password: z.string().max(1024) });
const departments = z.array(z.string().min(1).max(200)).max(200).nullable();
const updateBody = z.object({ role, departments: departments.optional() });
const SORTS = {
  username: 'username',
  role: 'role',
  createdAt: 'created_at',
  lastLoginAt: 'last_login_at',
  id: 'id',
} as const;

@Controller('api/v1/users')
@Roles('admin')
export class UsersController {
  constructor(@Inject(UserService) private readonly users: UserService) {}

  @Get()
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const q = parseListQuery(query, Object.keys(SORTS) as (keyof typeof SORTS)[], 'username');
    const { rows, total } = await this.users.list({
      sort: SORTS[q.sort],
      order: q.order,
      offset: q.offset,
      limit: q.limit,
    });
    res.setHeader('Content-Range', contentRange('users', q.offset, rows.length, total));
    return rows;
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.users.get(id);
  }

  @Post()
  create(@Body(new ZodBody(createBody)) body: z.infer<typeof createBody>, @Req() req: AuthedRequest) {
    // The admin knows this password: the new user replaces it at first sign-in.
    return this.users.create({ ...body, mustChangePassword: true }, signedInOf(req).user.username);
  }

  @Put(':id')
  async update(
    @Param('id') id: string,
    @Body(new ZodBody(updateBody)) body: z.infer<typeof updateBody>,
    @Req() req: AuthedRequest,
  ) {
    const actor = signedInOf(req).user;
    const updated = await this.users.setRole(id, body.role, actor);
    return body.departments === undefined ? updated : this.users.setDepartments(id, body.departments, actor);
  }

  @Delete(':id')
  delete(@Param('id') id: string, @Req() req: AuthedRequest) {
    return this.users.delete(id, signedInOf(req).user);
  }
}
