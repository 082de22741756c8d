import { type ConfigModuleName, modulePolicySchemas } from '@bascule/protocol';
import type { z } from 'zod';
import { ApiError } from '../http/http-errors.js';

/** One reason a policy document was refused, for the UI to show next to its field. */
export interface FieldIssue {
  /** Path inside the request body, e.g. `["document","printers",0,"uri"]`. */
  path: (string | number)[];
  message: string;
}

export type PolicyModule = keyof typeof modulePolicySchemas;

export function isPolicyModule(module: string): module is PolicyModule {
  return Object.hasOwn(modulePolicySchemas, module);
}

/**
 * Checks a policy document against its module's schema and returns it with defaults filled in.
 * Refused with a 400 whose body lists every issue (`issues`) and the first one per field (`errors`,
 * keyed `document.printers.0.uri`, the shape the admin UI's forms read).
 */
export function validatePolicyDocument(module: string, document: unknown): unknown {
  if (!isPolicyModule(module)) {
    const known = Object.keys(modulePolicySchemas).join(', ');
    throw fieldErrors(`module "${module}" cannot be configured yet: use one of ${known}`, [
      { path: ['module'], message: `unknown module; use one of ${known}` },
    ]);
  }
  const r = (modulePolicySchemas[module] as z.ZodType).safeParse(document);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({
    path: ['document', ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: i.message,
  }));
  return throwIssues(`the ${module} policy is not valid`, issues);
}

function throwIssues(summary: string, issues: FieldIssue[]): never {
  throw fieldErrors(summary, issues);
}

/** A 400 with `errors` (first message per field) and `issues` (all of them, with their paths). */
export function fieldErrors(summary: string, issues: FieldIssue[]): ApiError {
  const errors: Record<string, string> = {};
  for (const i of issues) errors[i.path.join('.') || '(body)'] ??= i.message;
  const detail = Object.entries(errors)
    .slice(0, 5)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  return new ApiError(400, `${summary}: ${detail}`, { errors, issues });
}

export function asModuleName(module: PolicyModule): ConfigModuleName {
  return module;
}
