import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { type AuthedRequest, Roles, signedInOf } from '../auth/session.guard.js';
import { ApiError } from '../http/http-errors.js';
import { contentRange, parseListQuery } from '../http/list-query.js';
import { TerminalHistoryService } from './terminal-history.service.js';
import { TERMINAL_SESSION_SORT_FIELDS, type TerminalSessionFilter } from './terminal-session.repository.js';

export function terminalSessionFilter(raw: Record<string, unknown>): TerminalSessionFilter {
  const f: TerminalSessionFilter = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === null || value === '') continue;
    switch (key) {
      case 'deviceId':
      case 'userId':
        if (typeof value !== 'string') throw ApiError.badRequest(`filter.${key} must be a string`);
        f[key] = value;
        break;
      case 'via':
        if (value !== 'ssh' && value !== 'web') throw ApiError.badRequest('filter.via must be ssh or web');
        f.via = value;
        break;
      case 'active':
        if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') {
          throw ApiError.badRequest('filter.active must be true or false');
        }
        f.active = value === true || value === 'true';
        break;
      default:
        throw ApiError.badRequest(`unknown filter "${key}": use deviceId, userId, via or active`);
    }
  }
  return f;
}

/** The audit trail of terminal sessions and their recordings (helpdesk and admin). */
@Controller('api/v1/terminal-sessions')
@Roles('admin', 'helpdesk')
export class TerminalSessionsController {
  constructor(@Inject(TerminalHistoryService) private readonly history: TerminalHistoryService) {}

  @Get()
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const q = parseListQuery(query, TERMINAL_SESSION_SORT_FIELDS, 'startedAt');
    const { rows, total } = await this.history.list({ ...q, filter: terminalSessionFilter(q.filter) });
    res.setHeader('Content-Range', contentRange('terminal-sessions', q.offset, rows.length, total));
    return rows;
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.history.get(id);
  }

  /** The asciicast v2 file, streamed (`asciinema play` reads it as is). */
  @Get(':id/recording')
  async recording(@Param('id') id: string, @Req() req: AuthedRequest, @Res() res: Response) {
    const { stream, filename } = await this.history.recording(id, signedInOf(req).user);
    res.status(200);
    res.setHeader('Content-Type', 'application/x-asciicast');
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.setHeader('Cache-Control', 'no-store');
    // Chunked, without Content-Length: the file of a running session grows while it is read.
    stream.on('error', (err) => {
      // The headers are sent already: cutting the download short is how the client learns of it.
      res.destroy(err);
    });
    stream.pipe(res);
  }
}
