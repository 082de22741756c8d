import { ApiError } from './http-errors.js';

/** react-admin simple-rest list parameters: `sort=["field","ASC"]`, `range=[0,24]`, `filter={...}`. */
export interface ListQuery<S extends string> {
  sort: S;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
  filter: Record<string, unknown>;
}

export const MAX_PAGE = 1000;

function parseJson(name: string, raw: unknown): unknown {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw ApiError.badRequest(`query parameter ${name} must be given once`);
  try {
    return JSON.parse(raw);
  } catch {
    throw ApiError.badRequest(`query parameter ${name} is not valid JSON`);
  }
}

export function parseListQuery<S extends string>(
  query: Record<string, unknown>,
  sortable: readonly S[],
  defaultSort: S,
): ListQuery<S> {
  const sort = parseJson('sort', query.sort) ?? [defaultSort, 'ASC'];
  if (!Array.isArray(sort) || typeof sort[0] !== 'string' || !['ASC', 'DESC'].includes(String(sort[1]).toUpperCase())) {
    throw ApiError.badRequest('sort must look like ["field","ASC"]');
  }
  if (!sortable.includes(sort[0] as S)) {
    throw ApiError.badRequest(`cannot sort by "${sort[0]}": use one of ${sortable.join(', ')}`);
  }
  const range = parseJson('range', query.range) ?? [0, 24];
  if (
    !Array.isArray(range) ||
    range.length !== 2 ||
    !range.every((n) => Number.isInteger(n) && n >= 0) ||
    range[1] < range[0]
  ) {
    throw ApiError.badRequest('range must look like [0,24] (first and last index, inclusive)');
  }
  const limit = Math.min(range[1] - range[0] + 1, MAX_PAGE);
  const filter = parseJson('filter', query.filter) ?? {};
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw ApiError.badRequest('filter must be a JSON object');
  }
  return {
    sort: sort[0] as S,
    order: String(sort[1]).toLowerCase() as 'asc' | 'desc',
    offset: range[0],
    limit,
    filter: filter as Record<string, unknown>,
  };
}

/** `Content-Range: devices 0-24/312` (react-admin reads the total from it). */
export function contentRange(resource: string, offset: number, count: number, total: number): string {
  const end = count === 0 ? offset : offset + count - 1;
  return `${resource} ${offset}-${end}/${total}`;
}
