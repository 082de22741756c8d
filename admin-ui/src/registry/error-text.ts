import { isHttpError } from '../providers/http-client.js';

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** A hub error for a person: a known code in the UI's language, else the hub's message as it is. */
export function errorText(translate: Translate, error: unknown): string {
  if (isHttpError(error)) {
    const message = error.message ?? error.body?.message ?? String(error.status);
    return translate(message, { _: message });
  }
  return error instanceof Error ? error.message : String(error);
}
