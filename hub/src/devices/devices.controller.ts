import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
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
  constructor(@Inject(DeviceService) private readonly devices: DeviceService) {}

  @Get('devices')
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const q = parseListQuery(query, Object.keys(DEVICE_SORT_FIELDS) as DeviceSortField[], 'hostname');
    const { rows, total } = await this.devices.list({ ...q, filter: deviceFilter(q.filter) });
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
  async departments(@Res({ passthrough: true }) res: Response) {
    const rows = (await this.devices.departments()).map((d) => ({ id: d.name, ...d }));
    res.setHeader('Content-Range', contentRange('departments', 0, rows.length, rows.length));
    return rows;
  }
}
