/**
 * What a route means for an account limited to departments, decided from the route's path alone so
 * the rule lives in one place (the session guard applies it; docs/architecture.md "Security in one
 * place"):
 * - `device`: the route is about the device `:id` (`/devices/:id…`): refused as unknown outside scope;
 * - `filtered`: a list the controller filters through DepartmentScopeService;
 * - `open`: the account's own things (sign-in, profile);
 * - null: anything else (fleet-wide views, configuration, registry, terminal history) is refused.
 */
export type ScopeRule = 'device' | 'filtered' | 'open';

const FILTERED = new Set(['GET api/v1/devices', 'GET api/v1/departments']);

export function scopeRule(method: string, path: string): ScopeRule | null {
  const p = path.replace(/^\/+|\/+$/g, '');
  if (p.startsWith('api/v1/auth/') || p === 'api/v1/auth' || p.startsWith('api/v1/account/')) return 'open';
  if (p === 'api/v1/devices/:id' || p.startsWith('api/v1/devices/:id/')) return 'device';
  if (FILTERED.has(`${method.toUpperCase()} ${p}`)) return 'filtered';
  return null;
}

/** `/api/v1/` + controller path + handler path, as Nest joins them. */
export function joinRoutePath(controllerPath: string | undefined, handlerPath: string | undefined): string {
  return [controllerPath, handlerPath]
    .map((s) => (s ?? '').replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
}
