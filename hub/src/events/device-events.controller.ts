import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError } from '../http/http-errors.js';
import { contentRange, parseListQuery } from '../http/list-query.js';
import { EVENT_SORT_FIELDS, type EventFilter, type EventSortField } from './device-event.repository.js';
import { DeviceEventsService } from './device-events.service.js';

const SORTABLE = Object.keys(EVENT_SORT_FIELDS) as EventSortField[];

function strings(key: string, value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === 'string')) throw ApiError.badRequest(`filter.${key} must be a string or a list`);
  return list as string[];
}

function isoTime(key: string, value: unknown): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw ApiError.badRequest(`filter.${key} must be an ISO 8601 time such as 2026-12-01T00:00:00Z`);
  }
  return new Date(value).toISOString();
}

/** `filter={...}` of the event lists; `deviceId` only on the fleet list (the device route sets it). */
export function eventFilter(raw: Record<string, unknown>, fleet: boolean): EventFilter {
  const f: EventFilter = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === null || value === '') continue;
    switch (key) {
      case 'type':
        f.types = strings(key, value);
        break;
      case 'typePrefix':
        if (typeof value !== 'string') throw ApiError.badRequest('filter.typePrefix must be a string');
        f.typePrefix = value;
        break;
      case 'since':
      case 'until':
        f[key] = isoTime(key, value);
        break;
      case 'id':
        f.ids = strings(key, value);
        break;
      case 'deviceId':
        // The device's own route does not take another device.
        if (!fleet) throw ApiError.badRequest('unknown filter "deviceId": the route names the device');
        if (typeof value !== 'string') throw ApiError.badRequest('filter.deviceId must be a string');
        f.deviceId = value;
        break;
      default:
        throw ApiError.badRequest(
          `unknown filter "${key}": use type, typePrefix, since, until, id${fleet ? ' or deviceId' : ''}`,
        );
    }
  }
  return f;
}

/** What devices reported on `event` (viewer and up: no role restriction beyond being signed in). */
@Controller('api/v1')
export class DeviceEventsController {
  constructor(@Inject(DeviceEventsService) private readonly events: DeviceEventsService) {}

  @Get('devices/:id/events')
  async forDevice(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) res: Response,
  ) {
    const q = parseListQuery(query, SORTABLE, 'ts');
    const { rows, total } = await this.events.listForDevice(id, { ...q, filter: eventFilter(q.filter, false) });
    res.setHeader('Content-Range', contentRange('events', q.offset, rows.length, total));
    return rows;
  }

  @Get('events')
  async fleet(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const q = parseListQuery(query, SORTABLE, 'ts');
    const { rows, total } = await this.events.list({ ...q, filter: eventFilter(q.filter, true) });
    res.setHeader('Content-Range', contentRange('events', q.offset, rows.length, total));
    return rows;
  }
}
