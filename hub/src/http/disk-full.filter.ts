import { type ArgumentsHost, Catch, HttpException, type HttpServer, HttpStatus } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import { DISK_FULL_MESSAGE, isDiskFull } from '../core/disk-full.js';
import type { Logger } from '../core/logger.js';
import { type ApiErrorFilter, loggablePath } from './http-errors.js';

/**
 * A write that fails because the hub's disk is full is answered 507 Insufficient Storage with a
 * sentence, and logged as an error; nothing else changes (refusals go to {@link ApiErrorFilter}, bugs
 * to Nest's handler, whichever filter Nest asks first).
 */
@Catch()
export class DiskFullFilter extends BaseExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly apiErrors: ApiErrorFilter,
    applicationRef: HttpServer,
  ) {
    super(applicationRef);
  }

  override catch(err: unknown, host: ArgumentsHost): void {
    if (err instanceof HttpException) {
      this.apiErrors.catch(err, host);
      return;
    }
    if (!isDiskFull(err)) {
      super.catch(err, host);
      return;
    }
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    this.logger.error('http request failed: the disk is full', {
      method: req.method,
      path: loggablePath(req.path),
      status: HttpStatus.INSUFFICIENT_STORAGE,
      error: err as Error,
    });
    http
      .getResponse<Response>()
      .status(HttpStatus.INSUFFICIENT_STORAGE)
      .json({ statusCode: HttpStatus.INSUFFICIENT_STORAGE, message: DISK_FULL_MESSAGE, code: 'disk-full' });
  }
}
