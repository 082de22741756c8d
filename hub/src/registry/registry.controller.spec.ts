import https from 'node:https';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubInfo } from '../core/hub-info.js';
import { Logger } from '../core/logger.js';
import { startHttpServer } from '../http/http-server.js';
import { loadOrCreatePki } from '../pki/pki.js';
import { FakeClock, testServices } from '../test-support.js';

type Services = Awaited<ReturnType<typeof testServices>>;
type Who = 'admin' | 'helpdesk' | 'viewer' | 'nobody';
const PASSWORD = 'une phrase de passe pour la spec du registre';

/** The registry routes through the real HTTPS server: raw CSV bodies, the session guard's roles, CSV exports. */
describe('registry over HTTPS', () => {
  let s: Services;
  let app: INestApplication;
  let base: string;
  const clock = new FakeClock();
  const cookies: Record<string, string> = {};

  const call = (method: string, url: string, who: Who, body?: Buffer | object, type = 'application/json') =>
    new Promise<{ status: number; headers: Record<string, unknown>; raw: Buffer; body: unknown }>((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
      const req = https.request(
        new URL(url, base),
        {
          method,
          rejectUnauthorized: false,
          headers: {
            ...(who !== 'nobody' ? { cookie: `bascule_session=${cookies[who]}` } : {}),
            ...(payload ? { 'content-type': type } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const raw = Buffer.concat(chunks);
            const text = raw.toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // CSV: kept as text
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, body: parsed });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  beforeAll(async () => {
    s = await testServices(clock);
    const logger = new Logger(() => {}, 'error');
    const pki = await loadOrCreatePki(path.join(s.dir, 'tls'), { publicHost: '127.0.0.1' }, clock, logger);
    const started = await startHttpServer({
      services: s,
      hub: new HubInfo('0.0.0-spec', pki.caCertPem, clock.now(), '127.0.0.1', 8883),
      pki,
      clock,
      logger,
      uiDir: path.join(s.dir, 'no-ui'),
      host: '127.0.0.1',
      port: 0,
    });
    app = started.app;
    base = `https://127.0.0.1:${started.port}`;
    for (const role of ['admin', 'helpdesk', 'viewer'] as const) {
      await s.users.create({ username: `the-${role}`, role, password: PASSWORD }, 'spec');
      cookies[role] = (await s.auth.login(`the-${role}`, PASSWORD, '127.0.0.1')).cookie;
    }
  });

  afterAll(async () => {
    await app?.close();
    await s?.close();
  });

  const file = Buffer.from(
    'Nom;Numéro de série;Service\r\npc-1;SN-1;Mairie > Écoles\r\npc-2;SN-2;Mairie\r\n',
    'latin1',
  );

  it('imports a CSV body in two steps, admin only, with progress readable until done', async () => {
    for (const who of ['helpdesk', 'viewer', 'nobody'] as const) {
      const r = await call('POST', '/api/v1/registry/imports', who, file, 'text/csv');
      expect([who, r.status]).toEqual([who, who === 'nobody' ? 401 : 403]);
    }
    const p = await call('POST', '/api/v1/registry/imports?filename=parc.csv', 'admin', file, 'text/csv');
    expect(p.status).toBe(201);
    const job = p.body as { id: string; encoding: string; errorLines: number; preview: unknown[] };
    expect(job).toMatchObject({ encoding: 'windows-1252', errorLines: 0 });
    expect(job.preview).toHaveLength(2);
    expect((await call('GET', '/api/v1/registry/machines', 'viewer')).headers['content-range']).toBe(
      'registry/machines 0-0/0',
    );
    expect((await call('POST', `/api/v1/registry/imports/${job.id}/confirm`, 'helpdesk', {})).status).toBe(403);
    const c = await call('POST', `/api/v1/registry/imports/${job.id}/confirm`, 'admin', {});
    expect(c.status).toBe(202);
    let state = '';
    for (let i = 0; i < 50 && state !== 'done'; i++) {
      state = ((await call('GET', `/api/v1/registry/imports/${job.id}`, 'viewer')).body as { state: string }).state;
    }
    expect(state).toBe('done');
    const list = await call('GET', '/api/v1/registry/machines?sort=["hostname","ASC"]&range=[0,0]', 'viewer');
    expect(list.headers['content-range']).toBe('registry/machines 0-0/2');
    expect(list.body).toMatchObject([{ hostname: 'pc-1', department: 'Écoles', status: 'windows' }]);
    const bad = await call('POST', '/api/v1/registry/imports', 'admin', { not: 'csv' });
    expect(bad.status).toBe(400);
  });

  it('lets helpdesk change a status, admin change phases, everyone read; CSV exports for Excel', async () => {
    const [m] = (await call('GET', '/api/v1/registry/machines?filter={"q":"pc-2"}', 'viewer')).body as { id: string }[];
    if (!m) throw new Error('no machine');
    const body = { status: 'exception', exceptionReason: 'profession', workaround: 'reste sous Windows' };
    expect((await call('PUT', `/api/v1/registry/machines/${m.id}/status`, 'viewer', body)).status).toBe(403);
    const changed = await call('PUT', `/api/v1/registry/machines/${m.id}/status`, 'helpdesk', body);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ status: 'exception', exceptionReason: 'profession' });
    const noReason = await call('PUT', `/api/v1/registry/machines/${m.id}/status`, 'admin', { status: 'rolled-back' });
    expect(noReason.status).toBe(400);

    const deps = (await call('GET', '/api/v1/registry/departments', 'viewer')).body as { id: string; name: string }[];
    const mairie = deps.find((d) => d.name === 'Mairie');
    const phase = { phase: 'linux-by-default' };
    expect((await call('PATCH', `/api/v1/registry/departments/${mairie?.id}`, 'helpdesk', phase)).status).toBe(403);
    expect((await call('PATCH', `/api/v1/registry/departments/${mairie?.id}`, 'admin', phase)).body).toMatchObject(
      phase,
    );

    const dash = await call('GET', '/api/v1/registry/dashboard', 'viewer');
    expect(dash.body).toMatchObject({ organisation: { total: 2, counts: { exception: 1 } } });
    const exported = await call('GET', '/api/v1/registry/dashboard/departments?format=csv', 'viewer');
    expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = exported.raw.toString('utf8');
    expect(text.startsWith('\ufeffdepartment;parent;phase;total;')).toBe(true);
    expect(text).toContain('\r\nÉcoles;Mairie;beta;1;1;0;0;0;0;0;0\r\n');
    const machines = await call('GET', '/api/v1/registry/machines?format=csv', 'viewer');
    expect(machines.raw.toString('utf8').split('\r\n')).toHaveLength(4); // header, 2 machines, final CRLF
    expect((await call('GET', '/api/v1/registry/dashboard?format=csv', 'viewer')).status).toBe(400);
    expect((await call('GET', '/api/v1/registry/dashboard/trend?format=xml', 'viewer')).status).toBe(400);
    expect((await call('POST', '/api/v1/registry/snapshots', 'viewer')).status).toBe(403);
    expect((await call('POST', '/api/v1/registry/snapshots', 'admin')).body).toMatchObject({ rows: 2 });
  });
});
