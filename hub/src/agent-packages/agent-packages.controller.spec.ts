import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubInfo } from '../core/hub-info.js';
import { Logger } from '../core/logger.js';
import { startHttpServer } from '../http/http-server.js';
import { loadOrCreatePki } from '../pki/pki.js';
import { FakeClock, testServices } from '../test-support.js';
import { basicCredentials } from './agent-packages.controller.js';
import { buildTestDeb } from './deb-fixture.js';

type Services = Awaited<ReturnType<typeof testServices>>;
const PASSWORD = 'une phrase de passe pour la spec';

/** The agent-package routes through the real HTTPS server, session guard included. */
describe('agent packages over HTTPS', () => {
  let s: Services;
  let app: INestApplication;
  let base: string;
  let work: string;
  let deviceId: string;
  let secret: string;
  const clock = new FakeClock();
  const cookies: Record<string, string> = {};

  const request = (
    method: string,
    url: string,
    opts: { who?: string; authorization?: string; body?: Buffer; type?: string } = {},
  ) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      const headers: Record<string, string | number> = {};
      if (opts.who) headers.cookie = `bascule_session=${cookies[opts.who]}`;
      if (opts.authorization) headers.authorization = opts.authorization;
      if (opts.body) {
        headers['content-type'] = opts.type ?? 'application/vnd.debian.binary-package';
        headers['content-length'] = opts.body.length;
      }
      const req = https.request(new URL(url, base), { method, rejectUnauthorized: false, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      });
      req.on('error', reject);
      req.end(opts.body);
    });
  const json = (r: { body: Buffer }) => JSON.parse(r.body.toString('utf8'));
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  beforeAll(async () => {
    s = await testServices(clock);
    work = fs.mkdtempSync(path.join(s.dir, 'work-'));
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
    for (const role of ['admin', 'viewer'] as const) {
      await s.users.create({ username: `the-${role}`, role, password: PASSWORD }, 'spec');
      cookies[role] = (await s.auth.login(`the-${role}`, PASSWORD, '127.0.0.1')).cookie;
    }
    const { token } = await s.enrolment.createToken({
      department: 'mairie',
      uses: 1,
      expiresInMs: 3_600_000,
      createdBy: 'spec',
    });
    const enrolled = await s.enrolment.enroll(
      { token, identity: { hostname: 'pc-accueil-1', machineId: 'm1', dmiUuid: 'd1', serial: 's1', macs: [] } },
      { ip: '127.0.0.1', caCertPem: 'CA', mqttUrls: ['mqtts://x:8883'] },
    );
    deviceId = enrolled.deviceId;
    secret = enrolled.secret;
  });

  afterAll(async () => {
    await app?.close();
    await s?.close();
    fs.rmSync(s.dir, { recursive: true, force: true });
  });

  it('uploads for admins only, lists highest first, and refuses what is not an agent package', async () => {
    const v1 = fs.readFileSync(buildTestDeb(work, { version: '0.1.0' }));
    const v2 = fs.readFileSync(buildTestDeb(work, { version: '0.2.0' }));
    expect((await request('POST', '/api/v1/agent-packages', { who: 'viewer', body: v2 })).status).toBe(403);
    expect((await request('POST', '/api/v1/agent-packages', { body: v2 })).status).toBe(401);

    const created = await request('POST', '/api/v1/agent-packages', { who: 'admin', body: v2 });
    expect(created.status, created.body.toString()).toBe(201);
    expect(json(created)).toMatchObject({ id: '0.2.0', version: '0.2.0', added: true, addedBy: 'the-admin' });
    expect((await request('POST', '/api/v1/agent-packages', { who: 'admin', body: v2 })).status).toBe(200);
    expect((await request('POST', '/api/v1/agent-packages', { who: 'admin', body: v1 })).status).toBe(201);

    const hub = fs.readFileSync(buildTestDeb(work, { package: 'bascule-hub', version: '0.3.0' }));
    const refused = await request('POST', '/api/v1/agent-packages', { who: 'admin', body: hub });
    expect(refused.status).toBe(400);
    expect(json(refused).message).toMatch(/not bascule-agent/);
    const rebuilt = fs.readFileSync(buildTestDeb(work, { version: '0.2.0' }, ' again'));
    const taken = await request('POST', '/api/v1/agent-packages', { who: 'admin', body: rebuilt });
    expect(taken.status).toBe(409);
    expect(json(taken).message).toMatch(/higher version/);
    const wrongType = await request('POST', '/api/v1/agent-packages', { who: 'admin', body: v2, type: 'text/plain' });
    expect(wrongType.status).toBe(400);

    const listed = await request('GET', '/api/v1/agent-packages', { who: 'admin' });
    expect(listed.status).toBe(200);
    expect(listed.headers['content-range']).toBe('agent-packages 0-1/2');
    expect(json(listed).map((p: { version: string }) => p.version)).toEqual(['0.2.0', '0.1.0']);
    expect((await request('GET', '/api/v1/agent-packages', { who: 'viewer' })).status).toBe(403);

    // Audited; no upload left behind in the store.
    const audit = await s.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'agent-package.add')
      .execute();
    expect(audit.map((a) => [a.actor, a.target])).toEqual([
      ['the-admin', '0.2.0'],
      ['the-admin', '0.1.0'],
    ]);
    expect(fs.readdirSync(path.join(s.dir, 'agent-packages')).sort()).toEqual([
      'bascule-agent_0.1.0_amd64.deb',
      'bascule-agent_0.2.0_amd64.deb',
    ]);
  });

  it('serves the content to a device authenticated with its own credentials, never to a session', async () => {
    const url = '/api/v1/agent-packages/bascule-agent_0.2.0_amd64.deb/content';
    const ok = await request('GET', url, { authorization: basic(deviceId, secret) });
    expect(ok.status).toBe(200);
    expect(ok.body.equals(fs.readFileSync(path.join(s.dir, 'agent-packages/bascule-agent_0.2.0_amd64.deb')))).toBe(
      true,
    );
    expect(ok.headers['content-type']).toBe('application/vnd.debian.binary-package');
    const none = await request('GET', url);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Basic realm="bascule devices"');
    expect((await request('GET', url, { authorization: basic(deviceId, 'wrong') })).status).toBe(401);
    expect((await request('GET', url, { who: 'admin' })).status).toBe(401);
    const unknown = await request('GET', '/api/v1/agent-packages/bascule-agent_9.9.9_amd64.deb/content', {
      authorization: basic(deviceId, secret),
    });
    expect(unknown.status).toBe(404);
    const traversal = await request('GET', '/api/v1/agent-packages/..%2Fbascule.db/content', {
      authorization: basic(deviceId, secret),
    });
    expect(traversal.status).toBe(404);
  });

  it("puts the named version's package into the device's agent-update settings", async () => {
    const policy = await s.configuration.policies.create(
      { name: 'Agent', module: 'agent-update', document: { version: '0.2.0' } },
      'the-admin',
    );
    await s.configuration.policies.setAssignments(policy.id, [{ kind: 'device', target: deviceId }], 'the-admin');
    const content = JSON.parse((await s.configuration.configs.find(deviceId))?.content ?? '{}');
    const stored = (await s.agentPackages.list()).find((p) => p.version === '0.2.0');
    expect(content.modules['agent-update'].settings).toEqual({
      version: '0.2.0',
      allowDowngrade: false,
      package: {
        fileName: 'bascule-agent_0.2.0_amd64.deb',
        bytes: stored?.bytes,
        sha256: stored?.sha256,
        path: '/api/v1/agent-packages/bascule-agent_0.2.0_amd64.deb/content',
      },
    });
    // A version the hub does not hold goes without a package: the agent reports it invalid.
    await s.configuration.policies.update(policy.id, { document: { version: '0.3.0' } }, 'the-admin');
    const later = JSON.parse((await s.configuration.configs.find(deviceId))?.content ?? '{}');
    expect(later.modules['agent-update'].settings).toEqual({ version: '0.3.0', allowDowngrade: false });
  });

  it('reads Basic credentials strictly', () => {
    expect(basicCredentials(basic('dev', 'se:cret'))).toEqual({ user: 'dev', password: 'se:cret' });
    expect(basicCredentials(undefined)).toBeNull();
    expect(basicCredentials('Bearer abc')).toBeNull();
    expect(basicCredentials(`Basic ${Buffer.from('nocolon').toString('base64')}`)).toBeNull();
  });
});
