import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { type AuthedRequest, Roles, signedInOf } from '../auth/session.guard.js';
import type { AlertState } from '../database/schema.js';
import { ApiError } from '../http/http-errors.js';
import { contentRange, parseListQuery } from '../http/list-query.js';
import { ALERT_SORT_FIELDS, type AlertFilter, type AlertSortField } from './alert.repository.js';
import { AlertService } from './alert.service.js';

const STATES: readonly AlertState[] = ['open', 'acknowledged', 'resolved'];

function strings(key: string, value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === 'string')) throw ApiError.badRequest(`filter.${key} must be a string or a list`);
  return list as string[];
}

function alertFilter(raw: Record<string, unknown>): AlertFilter {
  const f: AlertFilter = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === null || value === '') continue;
    switch (key) {
      case 'state': {
        const states = strings(key, value);
        const bad = states.find((s) => !STATES.includes(s as AlertState));
        if (bad) throw ApiError.badRequest(`filter.state "${bad}": use ${STATES.join(', ')}`);
        f.states = states as AlertState[];
        break;
      }
      case 'type':
        f.types = strings(key, value);
        break;
      case 'deviceId':
      case 'department':
        if (typeof value !== 'string') throw ApiError.badRequest(`filter.${key} must be a string`);
        f[key] = value;
        break;
      case 'id':
        f.ids = strings(key, value);
        break;
      default:
        throw ApiError.badRequest(`unknown filter "${key}": use state, type, deviceId, department or id`);
    }
  }
  return f;
}

@Controller('api/v1/alerts')
export class AlertsController {
  constructor(@Inject(AlertService) private readonly alerts: AlertService) {}

  @Get()
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const q = parseListQuery(query, Object.keys(ALERT_SORT_FIELDS) as AlertSortField[], 'openedAt');
    const { rows, total } = await this.alerts.list({ ...q, filter: alertFilter(q.filter) });
    res.setHeader('Content-Range', contentRange('alerts', q.offset, rows.length, total));
    return rows;
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.alerts.get(id);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('admin', 'helpdesk')
  acknowledge(@Param('id') id: string, @Req() req: AuthedRequest) {
    return this.alerts.acknowledge(id, signedInOf(req).user.username);
  }
}
