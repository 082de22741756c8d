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
const PASSWORD = 'une phrase de passe pour la spec des volontaires';

/** Volunteer sign-up through the real HTTPS server: the public form, its protections, IT's triage. */
describe('volunteer sign-up over HTTPS', () => {
  let s: Services;
  let app: INestApplication;
  let base: string;
  const clock = new FakeClock();
  const cookies: Record<string, string> = {};
  let token = '';
  let campaignId = '';

  const call = (method: string, url: string, who: Who, body?: Buffer | object, type = 'application/json') =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: unknown }>((resolve, reject) => {
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
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON: kept as text
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  /** The page's data, then the time a person takes to fill it. */
  const openForm = async () => {
    const f = await call('GET', `/api/v1/volunteer-form/${token}`, 'nobody');
    expect(f.status).toBe(200);
    clock.advance(5_000);
    return f.body as { campaign: string; departments: { id: string; name: string }[]; ticket: string };
  };
  const requestCount = async () =>
    Number(
      (
        await s.database.db
          .selectFrom('volunteer_requests')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst()
      )?.n,
    );

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
    const csv = Buffer.from('Nom;Numéro de série;Service\r\npc-ecole-1;SN-E1;Mairie > Écoles\r\npc-2;SN-2;Mairie\r\n');
    const job = (await call('POST', '/api/v1/registry/imports?filename=parc.csv', 'admin', csv, 'text/csv')).body as {
      id: string;
    };
    await call('POST', `/api/v1/registry/imports/${job.id}/confirm`, 'admin', {});
    for (let i = 0; i < 50; i++) {
      const j = (await call('GET', `/api/v1/registry/imports/${job.id}`, 'viewer')).body as { state: string };
      if (j.state === 'done') break;
    }
  });

  afterAll(async () => {
    await app?.close();
    await s?.close();
  });

  it('lets admin alone create a campaign link, given once as an unguessable token', async () => {
    for (const who of ['helpdesk', 'viewer', 'nobody'] as const) {
      const r = await call('POST', '/api/v1/registry/volunteer-campaigns', who, { name: 'Appel 2027' });
      expect([who, r.status]).toEqual([who, who === 'nobody' ? 401 : 403]);
    }
    const r = await call('POST', '/api/v1/registry/volunteer-campaigns', 'admin', {
      name: 'Appel aux volontaires 2027',
    });
    expect(r.status).toBe(201);
    const c = r.body as { id: string; token: string; path: string };
    expect(c.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(c.path).toBe(`/volontaires/${c.token}`);
    token = c.token;
    campaignId = c.id;
    const list = (await call('GET', '/api/v1/registry/volunteer-campaigns', 'helpdesk')).body as object[];
    expect(list).toMatchObject([{ id: c.id, name: 'Appel aux volontaires 2027', requests: 0, revokedAt: null }]);
    expect(JSON.stringify(list)).not.toContain(c.token);
  });

  it('files a request from the public form, and IT sees it waiting', async () => {
    const f = await openForm();
    expect(f.campaign).toBe('Appel aux volontaires 2027');
    const ecoles = f.departments.find((d) => d.name === 'Écoles');
    const r = await call('POST', `/api/v1/volunteer-form/${token}`, 'nobody', {
      name: 'Élodie Martin',
      departmentId: ecoles?.id,
      machine: 'PC-ECOLE-1',
      constraints: 'Ciril Finances, Word',
      email: 'elodie.martin@mairie.example',
      website: '',
      ticket: f.ticket,
    });
    expect(r.status).toBe(201);
    expect(Object.keys(r.body as object)).toEqual(['id']);
    const waiting = await call('GET', '/api/v1/registry/volunteers?filter={"state":"waiting"}', 'viewer');
    expect(waiting.headers['content-range']).toBe('registry/volunteers 0-0/1');
    expect(waiting.body).toMatchObject([
      { name: 'Élodie Martin', machine: 'PC-ECOLE-1', state: 'waiting', departmentId: ecoles?.id },
    ]);
    expect((waiting.body as { matchingMachineIds: string[] }[])[0]?.matchingMachineIds).toHaveLength(1);
    expect((await call('GET', '/api/v1/registry/volunteers', 'nobody')).status).toBe(401);
    expect((await call('GET', '/api/v1/registry/volunteers?filter={"state":"lost"}', 'viewer')).status).toBe(400);
  });

  it('refuses bots: too fast, honeypot filled, forged or foreign ticket, unknown link, too large a body', async () => {
    const before = await requestCount();
    const f = await openForm();
    const ok = { name: 'Robot', machine: 'pc-2', ticket: f.ticket };
    const fast = await call('GET', `/api/v1/volunteer-form/${token}`, 'nobody');
    const tooFast = await call('POST', `/api/v1/volunteer-form/${token}`, 'nobody', {
      ...ok,
      ticket: (fast.body as { ticket: string }).ticket,
    });
    expect([tooFast.status, (tooFast.body as { message: string }).message]).toEqual([
      400,
      'the form was sent too fast',
    ]);
    const honey = await call('POST', `/api/v1/volunteer-form/${token}`, 'nobody', { ...ok, website: 'http://spam' });
    expect(honey.status).toBe(400);
    const [at] = f.ticket.split('.');
    const forged = await call('POST', `/api/v1/volunteer-form/${token}`, 'nobody', { ...ok, ticket: `${at}.AAAA` });
    expect(forged.status).toBe(400);
    expect((await call('POST', `/api/v1/volunteer-form/${token}`, 'nobody', { ...ok, ticket: 'x' })).status).toBe(400);
    const unknown = await call('POST', '/api/v1/volunteer-form/not-a-real-token', 'nobody', ok);
    expect(unknown.status).toBe(404);
    const big = await call('POST', `/api/v1/volunteer-form/${token}`, 'nobody', {
      ...ok,
      constraints: 'x'.repeat(9000),
    });
    expect(big.status).toBe(413);
    const noDept = await call('POST', `/api/v1/volunteer-form/${token}`, 'nobody', { ...ok, departmentId: 'nope' });
    expect(noDept.status).toBe(400);
    expect(await requestCount()).toBe(before);
  });

  it('lets a forged request do nothing but file a request', async () => {
    const before = await requestCount();
    const f = await openForm();
    const ok = { name: 'Mallory', machine: 'pc-2', ticket: f.ticket };
    const machines = (await call('GET', '/api/v1/registry/machines', 'viewer')).body;
    for (const extra of [
      { status: 'candidate' },
      { state: 'accepted' },
      { machineId: 'x' },
      { id: 'chosen-id' },
      { campaignId: 'other' },
      { decidedBy: 'the-admin' },
      { mainUser: 'mallory' },
    ]) {
      const r = await call('POST', `/api/v1/volunteer-form/${token}`, 'nobody', { ...ok, ...extra });
      expect([extra, r.status]).toEqual([extra, 400]);
    }
    const [m] = machines as { id: string }[];
    const anonymous: [string, string, object?][] = [
      ['PUT', `/api/v1/volunteer-form/${token}`, ok],
      ['DELETE', `/api/v1/volunteer-form/${token}`],
      ['PATCH', `/api/v1/volunteer-form/${token}`, ok],
      ['POST', `/api/v1/volunteer-form/${token}/accept`, {}],
      ['POST', '/api/v1/registry/volunteers/any/accept', {}],
      ['POST', '/api/v1/registry/volunteers/any/refuse', {}],
      ['POST', '/api/v1/registry/volunteer-campaigns', { name: 'x' }],
      ['PUT', `/api/v1/registry/machines/${m?.id}/status`, { status: 'candidate' }],
      ['GET', '/api/v1/registry/machines'],
    ];
    for (const [method, url, body] of anonymous) {
      const r = await call(method, url, 'nobody', body);
      expect([method, url, r.status]).toEqual([method, url, url.includes('volunteer-form') ? 404 : 401]);
    }
    expect(await requestCount()).toBe(before);
    expect((await call('GET', '/api/v1/registry/machines', 'viewer')).body).toEqual(machines);
  });

  it('accepts a request: the machine becomes candidate with the volunteer as main user, audited', async () => {
    const [w] = (await call('GET', '/api/v1/registry/volunteers?filter={"state":"waiting"}', 'viewer')).body as {
      id: string;
      matchingMachineIds: string[];
    }[];
    if (!w) throw new Error('no waiting request');
    expect((await call('POST', `/api/v1/registry/volunteers/${w.id}/accept`, 'viewer', {})).status).toBe(403);
    const a = await call('POST', `/api/v1/registry/volunteers/${w.id}/accept`, 'helpdesk', {});
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ state: 'accepted', decidedBy: 'the-helpdesk', machineId: w.matchingMachineIds[0] });
    const m = await call('GET', `/api/v1/registry/machines/${w.matchingMachineIds[0]}`, 'viewer');
    expect(m.body).toMatchObject({ hostname: 'pc-ecole-1', status: 'candidate', mainUser: 'Élodie Martin' });
    expect((await call('POST', `/api/v1/registry/volunteers/${w.id}/accept`, 'admin', {})).status).toBe(409);
    const actions = await s.database.db.selectFrom('audit_log').select(['action', 'actor']).execute();
    expect(actions).toEqual(
      expect.arrayContaining([
        { action: 'volunteer.campaign.created', actor: 'the-admin' },
        { action: 'volunteer.request.created', actor: `volunteer-form:${campaignId}` },
        { action: 'volunteer.request.accepted', actor: 'the-helpdesk' },
        { action: 'registry.machine.status', actor: 'the-helpdesk' },
      ]),
    );
  });

  it('refuses a request, asks for the machine when the name fits none, and stops a revoked link', async () => {
    const f = await openForm();
    const r = await call('POST', `/api/v1/volunteer-form/${token}`, 'nobody', {
      name: 'Paul Durand',
      machine: 'le PC du bureau 12',
      ticket: f.ticket,
    });
    const id = (r.body as { id: string }).id;
    const noMachine = await call('POST', `/api/v1/registry/volunteers/${id}/accept`, 'admin', {});
    expect(noMachine.status).toBe(400);
    const [m2] = (await call('GET', '/api/v1/registry/machines?filter={"q":"pc-2"}', 'viewer')).body as {
      id: string;
    }[];
    await call('PUT', `/api/v1/registry/machines/${m2?.id}/status`, 'admin', { status: 'scheduled' });
    const moving = await call('POST', `/api/v1/registry/volunteers/${id}/accept`, 'admin', { machineId: m2?.id });
    expect([moving.status, (moving.body as { code: string }).code]).toEqual([409, 'MACHINE_ALREADY_MOVING']);
    expect((await call('GET', `/api/v1/registry/volunteers/${id}`, 'viewer')).body).toMatchObject({ state: 'waiting' });
    const refused = await call('POST', `/api/v1/registry/volunteers/${id}/refuse`, 'admin', { reason: 'déjà migré' });
    expect(refused.body).toMatchObject({ state: 'refused', refusalReason: 'déjà migré' });
    expect((await call('POST', `/api/v1/registry/volunteer-campaigns/${campaignId}/revoke`, 'helpdesk')).status).toBe(
      403,
    );
    expect((await call('POST', `/api/v1/registry/volunteer-campaigns/${campaignId}/revoke`, 'admin')).status).toBe(200);
    expect((await call('GET', `/api/v1/volunteer-form/${token}`, 'nobody')).status).toBe(404);
  });

  it('limits submissions per address, with Retry-After', async () => {
    const c = await call('POST', '/api/v1/registry/volunteer-campaigns', 'admin', { name: 'Second appel' });
    token = (c.body as { token: string }).token;
    const f = await openForm();
    const statuses: number[] = [];
    let retryAfter: unknown;
    for (let i = 0; i < 4; i++) {
      const r = await call('POST', `/api/v1/volunteer-form/${token}`, 'nobody', {
        name: `Agent ${i}`,
        machine: 'pc-2',
        ticket: f.ticket,
      });
      statuses.push(r.status);
      retryAfter ??= r.headers['retry-after'];
    }
    // 8 attempts from 127.0.0.1 in the tests above, 10 an hour allowed.
    expect(statuses).toEqual([201, 201, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    clock.advance(3_600_000);
    const g = await openForm();
    const again = await call('POST', `/api/v1/volunteer-form/${token}`, 'nobody', {
      name: 'Z',
      machine: 'pc-2',
      ticket: g.ticket,
    });
    expect(again.status).toBe(201);
  });
});
