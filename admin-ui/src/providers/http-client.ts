import { fetchUtils } from 'react-admin';

/** The hub serves the UI and the API from the same origin. */
export const API_URL = '/api/v1';

/** Error code the hub puts in a 403 body while the signed-in user must still change their password. */
export const PASSWORD_CHANGE_REQUIRED = 'PASSWORD_CHANGE_REQUIRED';

/**
 * JSON over fetch with the session cookie. Rejects with react-admin's HttpError
 * (`status`, `body`: the hub's `{statusCode, message, errors?, code?}`), which is what
 * react-admin forms read server-side field errors from.
 */
export function httpClient(url: string, options: fetchUtils.Options = {}) {
  return fetchUtils.fetchJson(url, { ...options, credentials: 'include' });
}

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
