import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { ApiError } from './http-errors.js';

/** Validates a request body against a zod schema; a 400 names each wrong field. */
export class ZodBody<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.infer<T> {
    const r = this.schema.safeParse(value);
    if (r.success) return r.data;
    const errors: Record<string, string> = {};
    for (const issue of r.error.issues) {
      const key = issue.path.join('.') || '(body)';
      errors[key] ??= issue.message;
    }
    const summary = Object.entries(errors)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ');
    throw ApiError.badRequest(`invalid request body: ${summary}`, errors);
  }
}
