import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './processes.js';

export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `/api/v1/devices/:id`, as the controller declares it. */
  path: string;
  file: string;
}

const CONTROLLER = /@Controller\(\s*(?:'([^']*)')?\s*\)/g;
const HANDLER = /@(Get|Post|Put|Patch|Delete)\(\s*(?:'([^']*)')?\s*\)/g;

function controllerFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return controllerFiles(p);
    return e.name.endsWith('.controller.ts') ? [p] : [];
  });
}

/**
 * Every REST route of the hub, read from its controllers' decorators, so that a route added later is
 * fuzzed without anyone remembering to list it.
 */
export function hubRoutes(): RestRoute[] {
  const routes: RestRoute[] = [];
  for (const file of controllerFiles(path.join(REPO, 'hub/src'))) {
    const text = fs.readFileSync(file, 'utf8');
    // A file may hold several controllers: each handler belongs to the last @Controller above it.
    const controllers = [...text.matchAll(CONTROLLER)].map((m) => ({ at: m.index ?? 0, prefix: m[1] ?? '' }));
    for (const m of text.matchAll(HANDLER)) {
      const prefix = controllers.filter((c) => c.at < (m.index ?? 0)).at(-1)?.prefix ?? '';
      const sub = m[2] ?? '';
      const joined = `/${[prefix, sub].filter(Boolean).join('/')}`;
      routes.push({ method: (m[1] as string).toUpperCase() as RestRoute['method'], path: joined, file });
    }
  }
  return routes;
}
