import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError } from '../http/http-errors.js';
import { contentRange, parseListQuery } from '../http/list-query.js';
import {
  ANTIVIRUS_SORT_FIELDS,
  type AntivirusFleetFilter,
  type AntivirusSortField,
} from './antivirus-status.repository.js';
import { AntivirusStatusService } from './antivirus-status.service.js';

const SORTABLE = Object.keys(ANTIVIRUS_SORT_FIELDS) as AntivirusSortField[];
const RESULTS = ['clean', 'infected', 'error', 'none'];

function flag(key: string, value: unknown): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw ApiError.badRequest(`filter.${key} must be true or false`);
}

/** `filter={...}` of the fleet view. */
export function antivirusFilter(raw: Record<string, unknown>): AntivirusFleetFilter {
  const f: AntivirusFleetFilter = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === null || value === '') continue;
    switch (key) {
      case 'department':
      case 'q':
        if (typeof value !== 'string') throw ApiError.badRequest(`filter.${key} must be a string`);
        f[key] = value;
        break;
      case 'lastResult': {
        const list = Array.isArray(value) ? value : [value];
        const wrong = list.find((v) => typeof v !== 'string' || !RESULTS.includes(v));
        if (wrong !== undefined) {
          throw ApiError.badRequest(`filter.lastResult must be one or a list of ${RESULTS.join(', ')}`);
        }
        f.results = list as string[];
        break;
      }
      case 'outdated':
      case 'detections':
      case 'installed':
        f[key] = flag(key, value);
        break;
      case 'id':
        f.ids = (Array.isArray(value) ? value : [value]).map(String);
        break;
      default:
        throw ApiError.badRequest(
          `unknown filter "${key}": use department, q, lastResult, outdated, detections, installed or id`,
        );
    }
  }
  return f;
}

/** Antivirus status: every signed-in role reads (the scan and restore actions are elsewhere, helpdesk and up). */
@Controller('api/v1')
export class AntivirusStatusController {
  constructor(@Inject(AntivirusStatusService) private readonly antivirus: AntivirusStatusService) {}

  @Get('devices/:id/antivirus')
  status(@Param('id') id: string) {
    return this.antivirus.status(id);
  }

  @Get('antivirus')
  async fleet(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const q = parseListQuery(query, SORTABLE, 'hostname');
    const { rows, total } = await this.antivirus.fleet({ ...q, filter: antivirusFilter(q.filter) });
    res.setHeader('Content-Range', contentRange('antivirus', q.offset, rows.length, total));
    return rows;
  }
}
