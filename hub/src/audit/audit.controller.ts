import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { Roles } from '../auth/session.guard.js';
import { ApiError } from '../http/http-errors.js';
import { contentRange, parseListQuery } from '../http/list-query.js';
import { sendCsv, wantsCsv } from '../registry/registry-csv-response.js';
import type { AuditFilter } from './audit.repository.js';
import { AUDIT_CSV_HEADER, AuditService, auditCsvRow } from './audit.service.js';

const isoDate = z
  .string()
  .max(40)
  .refine((v) => !Number.isNaN(Date.parse(v)), 'must be a date (ISO-8601)')
  .transform((v) => new Date(v).toISOString());
const filterSchema = z
  .object({
    actor: z.string().max(200).optional(),
    action: z.string().max(200).optional(),
    target: z.string().max(500).optional(),
    since: isoDate.optional(),
    until: isoDate.optional(),
  })
  .strict();
const SORTS = ['id', 'ts', 'actor', 'action', 'target'] as const;

function parseFilter(raw: Record<string, unknown>): AuditFilter {
  const parsed = filterSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw ApiError.badRequest(`filter.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** The audit log: who changed what, before and after, and when (admins only). `?format=csv` exports it. */
@Controller('api/v1/audit')
@Roles('admin')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Get()
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const q = parseListQuery(query, SORTS, 'id');
    const filter = parseFilter(q.filter);
    if (wantsCsv(query.format)) {
      const rows = await this.audit.export(filter);
      return sendCsv(res, 'audit', AUDIT_CSV_HEADER, rows.map(auditCsvRow));
    }
    const { rows, total } = await this.audit.list({
      filter,
      sort: q.sort,
      order: q.order,
      offset: q.offset,
      limit: q.limit,
    });
    res.setHeader('Content-Range', contentRange('audit', q.offset, rows.length, total));
    return rows;
  }
}
