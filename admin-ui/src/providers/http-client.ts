import { fetchUtils, HttpError } from 'react-admin';
import { fr } from '../i18n/fr.js';

/** The hub serves the UI and the API from the same origin. */
export const API_URL = '/api/v1';

/** Error code the hub puts in a 403 body while the signed-in user must still change their password. */
export const PASSWORD_CHANGE_REQUIRED = 'PASSWORD_CHANGE_REQUIRED';
/** Error code of a 403 while the hub requires a TOTP second factor the user has not enrolled yet. */
export const TOTP_ENROLMENT_REQUIRED = 'TOTP_ENROLMENT_REQUIRED';

/**
 * JSON over fetch with the session cookie. Rejects with react-admin's HttpError
 * (`status`, `body`: the hub's `{statusCode, message, errors?, code?}`), which is what
 * react-admin forms read server-side field errors from.
 */
export async function httpClient(url: string, options: fetchUtils.Options = {}) {
  try {
    return await fetchUtils.fetchJson(url, { ...options, credentials: 'include' });
  } catch (error) {
    throw translatableError(error);
  }
}

/**
 * The hub's messages are English sentences with stable codes beside them (`errorCodes` per field,
 * `code` for the whole answer). Known codes become translation keys (`bascule.errors.CODE`), which
 * react-admin's inputs and notifications translate into the UI's language.
 */
export function translatableError(error: unknown): unknown {
  if (!(error instanceof HttpError)) return error;
  const body = error.body as HttpErrorLike['body'] & { errorCodes?: Record<string, string> };
  if (!body) return error;
  const key = (code: string) => (KNOWN_ERROR_CODES.has(code) ? `bascule.errors.${code}` : undefined);
  const errors = { ...body.errors };
  for (const [field, code] of Object.entries(body.errorCodes ?? {})) {
    const k = key(code);
    if (k) errors[field] = k;
  }
  const message = (body.code && key(body.code)) ?? error.message;
  return new HttpError(message, error.status, { ...body, errors });
}

const KNOWN_ERROR_CODES = new Set(Object.keys(fr.bascule.errors));

/** Shorthand for the routes outside simple-rest (auth, inventory). */
export function api(path: string, options: fetchUtils.Options = {}) {
  return httpClient(`${API_URL}${path}`, options);
}

export interface HttpErrorLike {
  status?: number;
  message?: string;
  body?: { code?: string; message?: string; errors?: Record<string, string> } | null;
}

export function isHttpError(error: unknown): error is HttpErrorLike {
  return typeof error === 'object' && error !== null && 'status' in error;
}
