import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { type AuthedRequest, Roles, signedInOf } from '../auth/session.guard.js';
import type { RegistryPhase } from '../database/schema.js';
import { contentRange } from '../http/list-query.js';
import { ZodBody } from '../http/zod-body.pipe.js';
import { sendCsv, wantsCsv } from './registry-csv-response.js';
import { PHASES } from './registry-dashboard.repository.js';
import { RegistryDepartmentsService } from './registry-departments.service.js';

const phase = z.enum(PHASES as [RegistryPhase, ...RegistryPhase[]]);
const createBody = z.object({
  name: z.string().trim().min(1).max(200),
  parentId: z.string().min(1).max(64).nullable().optional(),
  phase: phase.optional(),
});
const patchBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  parentId: z.string().min(1).max(64).nullable().optional(),
  phase: phase.optional(),
});

/** The department tree and each department's phase: everyone signed in reads, admin writes. */
@Controller('api/v1/registry/departments')
export class RegistryDepartmentsController {
  constructor(@Inject(RegistryDepartmentsService) private readonly departments: RegistryDepartmentsService) {}

  @Get()
  async list(@Query('format') format: unknown, @Res({ passthrough: true }) res: Response) {
    const rows = await this.departments.list();
    if (wantsCsv(format)) {
      const names = new Map(rows.map((d) => [d.id, d.name]));
      return sendCsv(
        res,
        'services',
        ['id', 'name', 'parent', 'phase', 'phaseChangedAt'],
        rows.map((d) => [d.id, d.name, d.parentId ? names.get(d.parentId) : '', d.phase, d.phaseChangedAt]),
      );
    }
    res.setHeader('Content-Range', contentRange('registry/departments', 0, rows.length, rows.length));
    return rows;
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.departments.get(id);
  }

  @Post()
  @Roles('admin')
  create(@Body(new ZodBody(createBody)) body: z.infer<typeof createBody>, @Req() req: AuthedRequest) {
    return this.departments.create(
      { name: body.name, parentId: body.parentId ?? null, phase: body.phase },
      signedInOf(req).user.username,
    );
  }

  @Patch(':id')
  @Roles('admin')
  update(
    @Param('id') id: string,
    @Body(new ZodBody(patchBody)) body: z.infer<typeof patchBody>,
    @Req() req: AuthedRequest,
  ) {
    return this.departments.update(id, body, signedInOf(req).user.username);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin')
  async remove(@Param('id') id: string, @Req() req: AuthedRequest) {
    await this.departments.delete(id, signedInOf(req).user.username);
  }
}
