import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from '../core/logger.js';

/** A 4xx with a sentence a person can act on, and optional per-field errors (shown by the admin UI). */
export class ApiError extends HttpException {
  constructor(status: number, message: string, extra: Record<string, unknown> = {}) {
    super({ statusCode: status, message, ...extra }, status);
  }

  /**
   * @param errors per-field reasons (English sentences)
   * @param errorCodes per-field stable codes, for the UI to translate
   */
  static badRequest(message: string, errors?: Record<string, string>, errorCodes?: Record<string, string>) {
    return new ApiError(HttpStatus.BAD_REQUEST, message, {
      ...(errors ? { errors } : {}),
      ...(errorCodes ? { errorCodes } : {}),
    });
  }
  static unauthorized(message: string) {
    return new ApiError(HttpStatus.UNAUTHORIZED, message);
  }
  static forbidden(message: string, code?: string) {
    return new ApiError(HttpStatus.FORBIDDEN, message, code ? { code } : {});
  }
  static notFound(message: string) {
    return new ApiError(HttpStatus.NOT_FOUND, message);
  }
  static conflict(message: string, code: string, errors?: Record<string, string>) {
    return new ApiError(HttpStatus.CONFLICT, message, { code, ...(errors ? { errors } : {}) });
  }
  static tooManyRequests(message: string, retryAfterSeconds: number) {
    return new ApiError(HttpStatus.TOO_MANY_REQUESTS, message, { retryAfter: retryAfterSeconds });
  }
}

/**
 * Path as it may be logged: the secret part of `/install/{token}` (an enrolment token) and of the volunteer
 * form's links is left out, and
 * very long hostile paths are cut.
 */
export function loggablePath(path: string): string {
  const safe = path
    .replace(/^\/install\/[^/]+/, '/install/[token]')
    // A volunteer campaign's token: whoever holds it may file requests.
    .replace(/^\/(volontaires|api\/v1\/volunteer-form)\/[^/]+/, '/$1/[token]');
  return safe.length > 300 ? `${safe.slice(0, 300)}…` : safe;
}

/**
 * Sends every refused request (ApiErrors and Nest's own HttpExceptions: unknown route, wrong method) as
 * JSON, adding `Retry-After` to a 429, and logs the refusal with its reason. Anything else is a bug and
 * goes to Nest's handler (500, logged as an error).
 */
@Catch(HttpException)
export class ApiErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(err: HttpException, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    const status = err.getStatus();
    const raw = err.getResponse();
    const body = (typeof raw === 'string' ? { statusCode: status, message: raw } : raw) as {
      retryAfter?: number;
      message?: unknown;
    };
    if (body.retryAfter !== undefined) res.setHeader('Retry-After', String(body.retryAfter));
    const reason = Array.isArray(body.message) ? body.message.join('; ') : String(body.message ?? err.message);
    const fields = { method: req.method, path: loggablePath(req.path), status, reason: reason.slice(0, 500) };
    if (status >= 500) this.logger.error('http request failed', fields);
    else this.logger.info('http request refused', fields);
    res.status(status).json(body);
  }
}
