import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { z } from 'zod';
import { type AuthedRequest, Roles, signedInOf } from '../auth/session.guard.js';
import { ApiError } from '../http/http-errors.js';
import { ZodBody } from '../http/zod-body.pipe.js';
import { RegistryImportService } from './registry-import.service.js';
import { IMPORT_PRESETS, type ImportPreset } from './registry-mapping.js';

const mappingBody = z.object({ mapping: z.record(z.string(), z.string().max(500).nullable()) });
const confirmBody = z.object({ skipInvalid: z.boolean().optional() }).optional();

function mappingParam(raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw ApiError.badRequest('query parameter mapping must be given once');
  try {
    const v = JSON.parse(raw) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw ApiError.badRequest('mapping must be a JSON object such as {"serial":"Numéro de série","hostname":"Nom"}');
  }
}

/**
 * CSV imports of the registry: the file is the request body (`text/csv`), the mapping and preset
 * are query parameters; nothing is imported before `confirm` (admin only).
 */
@Controller('api/v1/registry/imports')
export class RegistryImportsController {
  constructor(@Inject(RegistryImportService) private readonly imports: RegistryImportService) {}

  @Post()
  @Roles('admin')
  preview(@Req() req: AuthedRequest, @Query() query: Record<string, unknown>) {
    const body = req.body as unknown;
    if (!Buffer.isBuffer(body)) {
      throw ApiError.badRequest('send the CSV file as the request body with Content-Type: text/csv');
    }
    const preset = query.preset;
    if (preset !== undefined && !IMPORT_PRESETS.includes(preset as ImportPreset)) {
      throw ApiError.badRequest(`unknown preset "${String(preset)}": use ${IMPORT_PRESETS.join(', ')}`);
    }
    return this.imports.preview({
      bytes: body,
      filename: typeof query.filename === 'string' ? query.filename : 'import.csv',
      mapping: mappingParam(query.mapping),
      preset: preset as ImportPreset | undefined,
      actor: signedInOf(req).user.username,
    });
  }

  @Get()
  list() {
    return this.imports.list();
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.imports.get(id);
  }

  @Put(':id/mapping')
  @Roles('admin')
  setMapping(@Param('id') id: string, @Body(new ZodBody(mappingBody)) body: z.infer<typeof mappingBody>) {
    return this.imports.setMapping(id, body.mapping);
  }

  @Post(':id/confirm')
  @HttpCode(202)
  @Roles('admin')
  confirm(
    @Param('id') id: string,
    @Body(new ZodBody(confirmBody)) body: z.infer<typeof confirmBody>,
    @Req() req: AuthedRequest,
  ) {
    return this.imports.confirm(id, { skipInvalid: body?.skipInvalid ?? false, actor: signedInOf(req).user.username });
  }
}
