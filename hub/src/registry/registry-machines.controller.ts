import { Body, Controller, Get, Inject, Param, Put, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { type AuthedRequest, Roles, signedInOf } from '../auth/session.guard.js';
import type { RegistryPhase, RegistryStatus } from '../database/schema.js';
import { ApiError } from '../http/http-errors.js';
import { contentRange, parseListQuery } from '../http/list-query.js';
import { ZodBody } from '../http/zod-body.pipe.js';
import { MACHINE_SORT_FIELDS, type MachineFilter, type MachineSortField } from './registry.repository.js';
import { sendCsv, wantsCsv } from './registry-csv-response.js';
import { PHASES } from './registry-dashboard.repository.js';
import { RegistryLifecycleService } from './registry-lifecycle.service.js';
import { EXCEPTION_REASONS, REGISTRY_STATUSES } from './registry-status.js';

const statusBody = z.object({
  status: z.enum(REGISTRY_STATUSES as [RegistryStatus, ...RegistryStatus[]]),
  exceptionReason: z.enum(EXCEPTION_REASONS as [string, ...string[]]).optional(),
  workaround: z.string().max(2000).optional(),
  rollbackReason: z.string().max(2000).optional(),
});
const departmentBody = z.object({ departmentId: z.string().min(1).max(64).nullable() });
/** The CSV export of a list is capped: past it, filter first. */
const CSV_MAX_ROWS = 100_000;

function strings(key: string, value: unknown, allowed?: readonly string[]): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === 'string')) throw ApiError.badRequest(`filter.${key} must be a string or a list`);
  const bad = allowed && list.find((v) => !allowed.includes(v as string));
  if (bad) throw ApiError.badRequest(`filter.${key} "${bad}": use ${allowed.join(', ')}`);
  return list as string[];
}

export function machineFilter(raw: Record<string, unknown>): MachineFilter {
  const f: MachineFilter = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === null || value === '') continue;
    switch (key) {
      case 'status':
        f.statuses = strings(key, value, REGISTRY_STATUSES) as RegistryStatus[];
        break;
      case 'exceptionReason':
        f.exceptionReasons = strings(key, value, EXCEPTION_REASONS);
        break;
      case 'phase':
        f.phases = strings(key, value, PHASES) as RegistryPhase[];
        break;
      case 'departmentId':
      case 'deviceId':
      case 'q':
        if (typeof value !== 'string') throw ApiError.badRequest(`filter.${key} must be a string`);
        f[key] = value;
        break;
      case 'noDepartment':
      case 'matched':
        if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') {
          throw ApiError.badRequest(`filter.${key} must be true or false`);
        }
        f[key] = value === true || value === 'true';
        break;
      case 'id':
        f.ids = strings(key, value);
        break;
      default:
        throw ApiError.badRequest(
          `unknown filter "${key}": use status, departmentId, noDepartment, phase, exceptionReason, matched, deviceId, q or id`,
        );
    }
  }
  return f;
}

/** Registry machines: everyone signed in reads; admin and helpdesk change statuses; admin moves machines. */
@Controller('api/v1/registry/machines')
export class RegistryMachinesController {
  constructor(@Inject(RegistryLifecycleService) private readonly lifecycle: RegistryLifecycleService) {}

  @Get()
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const csv = wantsCsv(query.format);
    const { format: _format, ...rest } = query;
    const q = parseListQuery(rest, Object.keys(MACHINE_SORT_FIELDS) as MachineSortField[], 'hostname');
    const filter = machineFilter(q.filter);
    if (csv) {
      const { rows } = await this.lifecycle.list({ ...q, filter, offset: 0, limit: CSV_MAX_ROWS });
      return sendCsv(
        res,
        'registre',
        [
          'hostname',
          'serial',
          'macs',
          'department',
          'mainUser',
          'os',
          'status',
          'exceptionReason',
          'exceptionWorkaround',
          'rollbackReason',
          'deviceId',
          'statusChangedAt',
        ],
        rows.map((m) => [
          m.hostname,
          m.serial,
          m.macs.join(' '),
          m.department,
          m.mainUser,
          m.os,
          m.status,
          m.exceptionReason,
          m.exceptionWorkaround,
          m.rollbackReason,
          m.deviceId,
          m.statusChangedAt,
        ]),
      );
    }
    const { rows, total } = await this.lifecycle.list({ ...q, filter });
    res.setHeader('Content-Range', contentRange('registry/machines', q.offset, rows.length, total));
    return rows;
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.lifecycle.get(id);
  }

  @Put(':id/status')
  @Roles('admin', 'helpdesk')
  status(
    @Param('id') id: string,
    @Body(new ZodBody(statusBody)) body: z.infer<typeof statusBody>,
    @Req() req: AuthedRequest,
  ) {
    return this.lifecycle.changeStatus(
      id,
      { ...body, exceptionReason: body.exceptionReason as never },
      signedInOf(req).user.username,
    );
  }

  @Put(':id/department')
  @Roles('admin')
  department(
    @Param('id') id: string,
    @Body(new ZodBody(departmentBody)) body: z.infer<typeof departmentBody>,
    @Req() req: AuthedRequest,
  ) {
    return this.lifecycle.setDepartment(id, body.departmentId, signedInOf(req).user.username);
  }
}
