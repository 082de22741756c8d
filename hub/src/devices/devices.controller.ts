import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DepartmentScopeService } from '../auth/department-scope.service.js';
import { type AuthedRequest, signedInOf } from '../auth/session.guard.js';
import { ApiError } from '../http/http-errors.js';
import { contentRange, parseListQuery } from '../http/list-query.js';
import { DEVICE_SORT_FIELDS, type DeviceFilter, type DeviceSortField } from './device.repository.js';
import { DeviceService } from './device.service.js';

function deviceFilter(raw: Record<string, unknown>): DeviceFilter {
  const f: DeviceFilter = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === null || value === '') continue;
    switch (key) {
      case 'department':
      case 'os':
      case 'model':
      case 'q':
        if (typeof value !== 'string') throw ApiError.badRequest(`filter.${key} must be a string`);
        f[key] = value;
        break;
      case 'online':
        if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') {
          throw ApiError.badRequest('filter.online must be true or false');
        }
        f.online = value === true || value === 'true';
        break;
      case 'id':
        f.ids = (Array.isArray(value) ? value : [value]).map(String);
        break;
      default:
        throw ApiError.badRequest(`unknown filter "${key}": use department, online, os, model, q or id`);
    }
  }
  return f;
}

@Controller('api/v1')
export class DevicesController {
  constructor(
    @Inject(DeviceService) private readonly devices: DeviceService,
    @Inject(DepartmentScopeService) private readonly scope: DepartmentScopeService,
  ) {}

  @Get('devices')
  async list(
    @Query() query: Record<string, unknown>,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const q = parseListQuery(query, Object.keys(DEVICE_SORT_FIELDS) as DeviceSortField[], 'hostname');
    const departmentsIn = (await this.scope.departmentsOf(signedInOf(req).user)) ?? undefined;
    const { rows, total } = await this.devices.list({ ...q, filter: { ...deviceFilter(q.filter), departmentsIn } });
    res.setHeader('Content-Range', contentRange('devices', q.offset, rows.length, total));
    return rows;
  }

  @Get('devices/:id')
  get(@Param('id') id: string) {
    return this.devices.get(id);
  }

  @Get('devices/:id/inventory')
  inventory(@Param('id') id: string) {
    return this.devices.inventory(id);
  }

  @Get('departments')
  async departments(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const scope = await this.scope.departmentsOf(signedInOf(req).user);
    const rows = (await this.devices.departments())
      .filter((d) => scope === null || scope.includes(d.name.toLowerCase()))
      .map((d) => ({ id: d.name, ...d }));
    res.setHeader('Content-Range', contentRange('departments', 0, rows.length, rows.length));
    return rows;
  }
}
