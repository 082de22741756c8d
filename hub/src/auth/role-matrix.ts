import { RequestMethod } from '@nestjs/common';
import type { Role } from './user.repository.js';

/** Who may call a REST route: the columns of the table in docs/rest-api.md ("Role matrix"). */
export type Caller = Role | 'scoped-helpdesk' | 'anonymous';
export const CALLERS: readonly Caller[] = ['admin', 'helpdesk', 'viewer', 'scoped-helpdesk', 'anonymous'];

/** One route as Nest declares it: `GET api/v1/devices/:id`. */
export interface DeclaredRoute {
  method: string;
  path: string;
}

const METHOD_NAMES: Record<number, string> = {
  [RequestMethod.GET]: 'GET',
  [RequestMethod.POST]: 'POST',
  [RequestMethod.PUT]: 'PUT',
  [RequestMethod.PATCH]: 'PATCH',
  [RequestMethod.DELETE]: 'DELETE',
};

/** Every route of these controllers, read from Nest's own decorator metadata. */
export function declaredRoutes(controllers: readonly (new (...args: never[]) => unknown)[]): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  for (const controller of controllers) {
    const prefix = String(Reflect.getMetadata('path', controller) ?? '').replace(/^\/+|\/+$/g, '');
    const proto = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = Reflect.getMetadata('method', handler) as number | undefined;
      const sub = Reflect.getMetadata('path', handler) as string | undefined;
      if (method === undefined || sub === undefined) continue;
      const path = [prefix, sub.replace(/^\/+|\/+$/g, '')].filter(Boolean).join('/');
      routes.push({ method: METHOD_NAMES[method] ?? String(method), path });
    }
  }
  return routes.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

/** The matrix as docs/rest-api.md writes it: `| GET | /api/v1/devices | ✓ | ✓ | ✓ | scope | — |`. */
export function parseRoleMatrix(markdown: string): Map<string, Record<Caller, string>> {
  const start = markdown.indexOf('<!-- role-matrix:start -->');
  const end = markdown.indexOf('<!-- role-matrix:end -->');
  if (start < 0 || end < start) throw new Error('docs/rest-api.md has no role matrix between its markers');
  const rows = new Map<string, Record<Caller, string>>();
  for (const line of markdown.slice(start, end).split('\n')) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim().replace(/^`|`$/g, ''));
    if (cells.length !== 2 + CALLERS.length || !/^[A-Z]+$/.test(cells[0] ?? '')) continue;
    const [method, path, ...access] = cells as string[];
    rows.set(
      `${method} ${path}`,
      Object.fromEntries(CALLERS.map((c, i) => [c, access[i] as string])) as Record<Caller, string>,
    );
  }
  return rows;
}

/**
 * What a cell says: `✓` allowed, `—` refused (401 anonymous, 403 signed in), `scope` allowed only for a
 * device in the account's departments (404 otherwise), `filtered` a list cut to the account's departments.
 */
export type Access = 'allowed' | 'refused' | 'scope' | 'filtered';

export function cellAccess(cell: string): Access {
  switch (cell) {
    case '✓':
      return 'allowed';
    case '—':
      return 'refused';
    case 'scope':
      return 'scope';
    case 'filtered':
      return 'filtered';
    default:
      throw new Error(`unknown cell "${cell}" in the role matrix: use ✓, —, scope or filtered`);
  }
}
