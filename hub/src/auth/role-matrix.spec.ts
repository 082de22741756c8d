import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../app.module.js';
import { HubInfo } from '../core/hub-info.js';
import { Logger } from '../core/logger.js';
import { startHttpServer } from '../http/http-server.js';
import { loadOrCreatePki } from '../pki/pki.js';
import { enrolTestDevice, FakeClock, testServices } from '../test-support.js';
import { scopeRule } from './department-scope.js';
import {
  CALLERS,
  type Caller,
  cellAccess,
  type DeclaredRoute,
  declaredRoutes,
  parseRoleMatrix,
} from './role-matrix.js';

type Services = Awaited<ReturnType<typeof testServices>>;
type Controller = new (...args: never[]) => unknown;
const PASSWORD = 'une phrase de passe pour la matrice des rôles';
const DOC = fileURLToPath(new URL('../../../docs/rest-api.md', import.meta.url));

/**
 * Every REST route (read from the controllers' metadata) × every kind of caller, over the real HTTPS
 * server, against the table of docs/rest-api.md: the doc and the hub cannot disagree.
 */
describe('API role matrix', () => {
  let s: Services;
  let app: INestApplication;
  let base: string;
  let routes: DeclaredRoute[];
  let inScope: string;
  let outOfScope: string;
  const clock = new FakeClock();
  const cookies: Partial<Record<Caller, string>> = {};

  const call = (method: string, url: string, who: Caller) =>
    new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const payload = method === 'GET' || method === 'DELETE' ? undefined : Buffer.from('{}');
      const req = https.request(
        new URL(url, base),
        {
          method,
          rejectUnauthorized: false,
          headers: {
            ...(who !== 'anonymous' ? { cookie: `bascule_session=${cookies[who]}` } : {}),
            ...(payload ? { 'content-type': 'application/json' } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON (CSV, script): kept as text
            }
            resolve({ status: res.statusCode ?? 0, body });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  const signIn = async (who: Exclude<Caller, 'anonymous'>) => {
    cookies[who] = (await s.auth.login(`the-${who}`, PASSWORD, '127.0.0.1')).cookie;
  };

  beforeAll(async () => {
    s = await testServices(clock);
    const logger = new Logger(() => {}, 'error');
    const pki = await loadOrCreatePki(path.join(s.dir, 'tls'), { publicHost: '127.0.0.1' }, clock, logger);
    const hub = new HubInfo('0.0.0-spec', pki.caCertPem, clock.now(), '127.0.0.1', 8883);
    const started = await startHttpServer({
      services: s,
      hub,
      pki,
      clock,
      logger,
      uiDir: path.join(s.dir, 'no-ui'),
      host: '127.0.0.1',
      port: 0,
    });
    app = started.app;
    base = `https://127.0.0.1:${started.port}`;
    routes = declaredRoutes((AppModule.forRoot(s, hub, clock, logger).controllers ?? []) as Controller[]);
    const roles = { admin: 'admin', helpdesk: 'helpdesk', viewer: 'viewer', 'scoped-helpdesk': 'helpdesk' } as const;
    for (const [who, role] of Object.entries(roles)) {
      const user = await s.users.create({ username: `the-${who}`, role, password: PASSWORD }, 'spec');
      if (who === 'scoped-helpdesk') {
        const admin = await s.users.get(
          (await s.users.list({ sort: 'username', order: 'asc', offset: 0, limit: 1 })).rows[0]?.id as string,
        );
        await s.users.setDepartments(user.id, ['Écoles'], admin);
      }
      await signIn(who as Exclude<Caller, 'anonymous'>);
    }
    inScope = await enrolTestDevice(s, { hostname: 'ecole-pc-1' }, 'écoles');
    outOfScope = await enrolTestDevice(s, { hostname: 'mairie-pc-1' }, 'Mairie');
  });

  afterAll(async () => {
    await app?.close();
    await s?.close();
  });

  const url = (route: DeclaredRoute, deviceId: string) =>
    `/${route.path.replace(/:id\b/, deviceId).replace(/:(\w+)/g, 'X-NONE')}`;

  /** What this caller observes on this route, written as the matrix writes it. */
  async function observe(route: DeclaredRoute, who: Caller): Promise<string> {
    const rule = scopeRule(route.method, route.path);
    const device = route.path.startsWith('api/v1/devices/:id') ? inScope : 'X-NONE';
    const r = await call(route.method, url(route, device), who);
    if (route.path === 'api/v1/auth/logout' && who !== 'anonymous' && r.status < 300) await signIn(who);
    const refused =
      r.status === 401 || (r.status === 403 && (r.body as { code?: string })?.code !== 'PASSWORD_CHANGE_REQUIRED');
    if (refused) return '—';
    if (who !== 'scoped-helpdesk') return '✓';
    if (rule === 'device') {
      const other = await call(route.method, url(route, outOfScope), who);
      expect([route.method, route.path, other.status]).toEqual([route.method, route.path, 404]);
      return 'scope';
    }
    return rule === 'filtered' ? 'filtered' : '✓';
  }

  it('documents every route, and only routes that exist', () => {
    const documented = parseRoleMatrix(fs.readFileSync(DOC, 'utf8'));
    const declared = routes.map((r) => `${r.method} /${r.path}`);
    expect(declared.filter((k) => !documented.has(k))).toEqual([]);
    expect([...documented.keys()].filter((k) => !declared.includes(k))).toEqual([]);
    expect(routes.length).toBeGreaterThan(60);
  });

  it('allows or refuses each caller exactly as documented', { timeout: 120_000 }, async () => {
    const documented = parseRoleMatrix(fs.readFileSync(DOC, 'utf8'));
    const mismatches: string[] = [];
    const observedRows: string[] = [];
    for (const route of routes) {
      const key = `${route.method} /${route.path}`;
      const cells: string[] = [];
      for (const who of CALLERS) {
        const seen = await observe(route, who);
        cells.push(seen);
        const expected = documented.get(key)?.[who];
        if (expected !== undefined) cellAccess(expected);
        if (expected !== seen)
          mismatches.push(`${key} for ${who}: documented ${expected ?? '(missing)'}, observed ${seen}`);
      }
      observedRows.push(`| ${route.method} | \`/${route.path}\` | ${cells.join(' | ')} |`);
    }
    if (process.env.ROLE_MATRIX_PRINT) fs.writeFileSync(process.env.ROLE_MATRIX_PRINT, `${observedRows.join('\n')}\n`);
    expect(mismatches).toEqual([]);
  });

  it('cuts the lists of a scoped account to its departments and their sub-departments', async () => {
    const list = await call('GET', '/api/v1/devices', 'scoped-helpdesk');
    expect((list.body as { hostname: string }[]).map((d) => d.hostname)).toEqual(['ecole-pc-1']);
    const all = await call('GET', '/api/v1/devices', 'helpdesk');
    expect((all.body as unknown[]).length).toBe(2);
    const departments = await call('GET', '/api/v1/departments', 'scoped-helpdesk');
    expect((departments.body as { name: string }[]).map((d) => d.name)).toEqual(['écoles']);
  });
});
