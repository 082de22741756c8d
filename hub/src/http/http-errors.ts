import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';

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

/** Sends ApiErrors as their JSON body, adding `Retry-After` to a 429. */
@Catch(ApiError)
export class ApiErrorFilter implements ExceptionFilter {
  catch(err: ApiError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = err.getResponse() as { retryAfter?: number };
    if (body.retryAfter !== undefined) res.setHeader('Retry-After', String(body.retryAfter));
    res.status(err.getStatus()).json(body);
  }
}
