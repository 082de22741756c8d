import { Controller, Get, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../auth/session.guard.js';
import { ApiError } from '../http/http-errors.js';
import { sendCsv, wantsCsv } from './registry-csv-response.js';
import { STATUSES } from './registry-dashboard.repository.js';
import { RegistryDashboardService } from './registry-dashboard.service.js';

/** The migration dashboard, aggregated by the hub; each table also as CSV (`?format=csv`). */
@Controller('api/v1/registry')
export class RegistryDashboardController {
  constructor(@Inject(RegistryDashboardService) private readonly dashboard: RegistryDashboardService) {}

  @Get('dashboard')
  all(@Query('format') format: unknown) {
    if (wantsCsv(format)) {
      throw ApiError.badRequest(
        'the dashboard has several tables: ask each for CSV (dashboard/departments?format=csv…)',
      );
    }
    return this.dashboard.dashboard();
  }

  @Get('dashboard/organisation')
  async organisation(@Query('format') format: unknown, @Res({ passthrough: true }) res: Response) {
    const o = await this.dashboard.organisation();
    if (!wantsCsv(format)) return o;
    return sendCsv(
      res,
      'organisation',
      ['total', ...STATUSES, 'migratedPct', 'unassigned'],
      [[o.total, ...STATUSES.map((s) => o.counts[s]), o.migratedPct, o.unassigned]],
    );
  }

  @Get('dashboard/departments')
  async departments(@Query('format') format: unknown, @Res({ passthrough: true }) res: Response) {
    const rows = await this.dashboard.departments();
    if (!wantsCsv(format)) return rows;
    const names = new Map(rows.map((d) => [d.id, d.name]));
    return sendCsv(
      res,
      'migration-par-service',
      ['department', 'parent', 'phase', 'total', ...STATUSES, 'migratedPct'],
      rows.map((d) => [
        d.name,
        d.parentId ? names.get(d.parentId) : '',
        d.phase,
        d.total,
        ...STATUSES.map((s) => d.counts[s]),
        d.migratedPct,
      ]),
    );
  }

  @Get('dashboard/phases')
  async phases(@Query('format') format: unknown, @Res({ passthrough: true }) res: Response) {
    const rows = await this.dashboard.phases();
    if (!wantsCsv(format)) return rows;
    return sendCsv(
      res,
      'phases',
      ['phase', 'departments', 'machines', 'migrated'],
      rows.map((p) => [p.phase, p.departments, p.machines, p.migrated]),
    );
  }

  @Get('dashboard/exceptions')
  async exceptions(@Query('format') format: unknown, @Res({ passthrough: true }) res: Response) {
    const rows = await this.dashboard.exceptions();
    if (!wantsCsv(format)) return rows;
    return sendCsv(
      res,
      'exceptions',
      ['reason', 'count', 'withWorkaround'],
      rows.map((e) => [e.reason, e.count, e.withWorkaround]),
    );
  }

  @Get('dashboard/trend')
  async trend(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    const points = await this.dashboard.trend({
      from: str(query.from),
      to: str(query.to),
      departmentId: str(query.departmentId),
    });
    if (!wantsCsv(query.format)) return points;
    return sendCsv(
      res,
      'tendance',
      ['day', ...STATUSES],
      points.map((p) => [p.day, ...STATUSES.map((s) => p.counts[s])]),
    );
  }

  /** Takes today's snapshot now (the timer takes one a day by itself). */
  @Post('snapshots')
  @HttpCode(200)
  @Roles('admin')
  snapshot() {
    return this.dashboard.snapshot();
  }
}
