import https from 'node:https';
import path from 'node:path';
import {
  createIdGenerator,
  decodePayload,
  encodePayload,
  parseDeviceTopic,
  parseTerminalKind,
  type RpcRequest,
} from '@bascule/protocol';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { HubInfo } from '../core/hub-info.js';
import { Logger } from '../core/logger.js';
import { startHttpServer } from '../http/http-server.js';
import { loadOrCreatePki } from '../pki/pki.js';
import { FakeClock, testServices } from '../test-support.js';
import type { TerminalSessionView } from './terminal-history.service.js';
import type { TerminalSessionRow } from './terminal-session.repository.js';

type Services = Awaited<ReturnType<typeof testServices>>;
const PASSWORD = 'une phrase de passe pour la spec';

/** The REST routes and the WebSocket endpoint through the real HTTPS server, session guard included. */
describe('terminal sessions over HTTPS', () => {
  let s: Services;
  let app: INestApplication;
  let base: string;
  const clock = new FakeClock();
  const cookies: Record<string, string> = {};

  const request = (method: string, url: string, who?: string) =>
    new Promise<{ status: number; headers: Record<string, unknown>; text: string }>((resolve, reject) => {
      const req = https.request(
        new URL(url, base),
        { method, rejectUnauthorized: false, headers: who ? { cookie: `bascule_session=${cookies[who]}` } : {} },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  const json = async <T>(url: string, who: string) => {
    const r = await request('GET', url, who);
    return { ...r, body: JSON.parse(r.text) as T };
  };

  const row = (over: Partial<TerminalSessionRow>): TerminalSessionRow => ({
    id: '01JSESSION0000000000000000',
    user_id: 'u1',
    username: 'agnes',
    device_id: '01JDEVICEA',
    hostname: 'pc-compta-12',
    via: 'web',
    mode: 'shell',
    run_as: 'root',
    command: null,
    client_address: '10.0.0.5',
    started_at: '2026-11-25T09:00:00.000Z',
    ended_at: '2026-11-25T09:02:30.000Z',
    bytes_in: 12,
    bytes_out: 3400,
    exit_code: 0,
    exit_signal: null,
    end_reason: 'exit',
    end_message: 'the shell exited',
    recording: null,
    ...over,
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
    const rec = s.recordings.create(
      '01JSESSION0000000000000001',
      { width: 80, height: 24, timestamp: 1_795_000_000, title: 't', env: { TERM: 'xterm-256color' } },
      0,
    );
    rec.writer.output(Buffer.from('42\r\n'), 1500);
    rec.writer.close(2000);
    await s.terminalSessions.insert(row({ recording: rec.file, id: '01JSESSION0000000000000001' }));
    await s.terminalSessions.insert(
      row({
        id: '01JSESSION0000000000000002',
        via: 'ssh',
        username: 'bruno',
        user_id: 'u2',
        device_id: '01JDEVICEB',
        hostname: 'pc-rh-03',
        started_at: '2026-11-25T09:30:00.000Z',
        ended_at: null,
        exit_code: null,
        end_reason: null,
        end_message: null,
      }),
    );
    await s.terminalSessions.insert(
      row({ id: '01JSESSION0000000000000003', started_at: '2026-11-24T08:00:00.000Z', recording: null }),
    );
  });

  afterAll(async () => {
    await app?.close(); // already closed by the last test: a second close is harmless
    await s?.close();
  });

  it('lists sessions newest first for helpdesk and admin, with filters and Content-Range', async () => {
    const all = await json<TerminalSessionView[]>('/api/v1/terminal-sessions?sort=["startedAt","DESC"]', 'helpdesk');
    expect(all.status).toBe(200);
    expect(all.headers['content-range']).toBe('terminal-sessions 0-2/3');
    expect(all.body.map((v) => v.id.slice(-1))).toEqual(['2', '1', '3']);
    expect(all.body[1]).toEqual({
      id: '01JSESSION0000000000000001',
      userId: 'u1',
      username: 'agnes',
      deviceId: '01JDEVICEA',
      hostname: 'pc-compta-12',
      via: 'web',
      mode: 'shell',
      runAs: 'root',
      command: null,
      clientAddress: '10.0.0.5',
      startedAt: '2026-11-25T09:00:00.000Z',
      endedAt: '2026-11-25T09:02:30.000Z',
      durationSeconds: 150,
      active: false,
      bytesIn: 12,
      bytesOut: 3400,
      exitCode: 0,
      exitSignal: null,
      endReason: 'exit',
      endMessage: 'the shell exited',
      hasRecording: true,
    });
    // A running session lasts until now (the spec clock: 10:00).
    expect(all.body[0]).toMatchObject({ active: true, durationSeconds: 1800, hasRecording: false });

    const filtered = async (filter: object) =>
      (
        await json<TerminalSessionView[]>(
          `/api/v1/terminal-sessions?filter=${encodeURIComponent(JSON.stringify(filter))}`,
          'admin',
        )
      ).body.map((v) => v.id.slice(-1));
    expect(await filtered({ via: 'ssh' })).toEqual(['2']);
    expect(await filtered({ active: true })).toEqual(['2']);
    expect(await filtered({ active: 'false', deviceId: '01JDEVICEA' })).toEqual(['3', '1']);
    expect(await filtered({ userId: 'u2' })).toEqual(['2']);
    const bad = await json<{ message: string }>('/api/v1/terminal-sessions?filter={"via":"telnet"}', 'admin');
    expect(bad).toMatchObject({ status: 400, body: { message: 'filter.via must be ssh or web' } });
  });

  it('shows one session, and 404 for an unknown id', async () => {
    const one = await json<TerminalSessionView>('/api/v1/terminal-sessions/01JSESSION0000000000000002', 'helpdesk');
    expect(one.body).toMatchObject({ username: 'bruno', hostname: 'pc-rh-03', via: 'ssh' });
    expect((await request('GET', '/api/v1/terminal-sessions/nope', 'helpdesk')).status).toBe(404);
  });

  it('streams the asciicast recording and audits the download', async () => {
    const r = await request('GET', '/api/v1/terminal-sessions/01JSESSION0000000000000001/recording', 'helpdesk');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/x-asciicast');
    expect(r.headers['content-disposition']).toBe(
      'attachment; filename="pc-compta-12-2026-11-25-09-00-00-01JSESSION0000000000000001.cast"',
    );
    const lines = r.text.trim().split('\n');
    expect(JSON.parse(lines[0] as string)).toMatchObject({ version: 2, width: 80, height: 24 });
    expect(JSON.parse(lines[1] as string)).toEqual([1.5, 'o', '42\r\n']);
    const audit = await s.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'terminal.recording_download')
      .execute();
    expect(audit).toMatchObject([{ actor: 'the-helpdesk', target: '01JDEVICEA' }]);
    expect(JSON.parse(audit[0]?.detail as string)).toEqual({ sid: '01JSESSION0000000000000001' });
  });

  it('says why a recording is gone (retention) with a 404', async () => {
    const r = await json<{ message: string }>(
      '/api/v1/terminal-sessions/01JSESSION0000000000000003/recording',
      'admin',
    );
    expect(r.status).toBe(404);
    expect(r.body.message).toMatch(/no longer kept: it was deleted under the recording retention setting/);
  });

  it('refuses viewers (403) and anonymous requests (401)', async () => {
    for (const url of [
      '/api/v1/terminal-sessions',
      '/api/v1/terminal-sessions/01JSESSION0000000000000001',
      '/api/v1/terminal-sessions/01JSESSION0000000000000001/recording',
    ]) {
      expect((await request('GET', url, 'viewer')).status, url).toBe(403);
      expect((await request('GET', url)).status, url).toBe(401);
    }
  });

  it('serves the WebSocket endpoint on the same server', async () => {
    const wsUrl = `${base.replace('https', 'wss')}/api/v1/devices/nope/terminal`;
    const opened = (cookie: string, origin = base) =>
      new Promise<{ status?: number; messages: unknown[]; ws?: WebSocket }>((resolve) => {
        const ws = new WebSocket(wsUrl, { rejectUnauthorized: false, headers: { cookie, origin } });
        const messages: unknown[] = [];
        ws.on('message', (m) => messages.push(JSON.parse(m.toString())));
        ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode, messages }));
        ws.on('error', () => {});
        ws.on('close', () => resolve({ messages }));
      });
    expect((await opened(`bascule_session=${cookies.viewer}`)).status).toBe(403);
    expect((await opened(`bascule_session=${cookies.helpdesk}`, 'https://evil.example')).status).toBe(403);
    // Through to the real terminal service, which does not know this device.
    const r = await opened(`bascule_session=${cookies.helpdesk}`);
    expect(r.messages).toMatchObject([{ type: 'error', code: 'unknown-device', details: { device: 'nope' } }]);
  });

  it('stops with a browser terminal open: the browser hears hub-stopping, the server closes', async () => {
    // A device that accepts every terminal.open.
    const ids = createIdGenerator();
    s.deviceLink.attach({
      isConnected: () => true,
      async publish(topic: string, payload: Buffer) {
        const t = parseDeviceTopic(topic);
        if (!t || parseTerminalKind(t.kind)) return;
        const req = decodePayload(payload) as RpcRequest;
        setImmediate(() =>
          s.rpc.onResponse(
            t.deviceId,
            encodePayload({ v: 1, id: ids(), ts: new Date().toISOString(), reqId: req.id, ok: true }),
          ),
        );
      },
    });
    const { token } = await s.enrolment.createToken({
      department: 'D',
      uses: 1,
      expiresInMs: 3600_000,
      createdBy: 'spec',
    });
    await s.enrolment.enroll(
      { token, identity: { hostname: 'pc-accueil-01', machineId: 'm', dmiUuid: 'u', serial: 's', macs: [] } },
      { ip: '127.0.0.1', caCertPem: 'CA', mqttUrls: ['mqtts://x:8883'] },
    );
    const ws = new WebSocket(`${base.replace('https', 'wss')}/api/v1/devices/pc-accueil-01/terminal`, {
      rejectUnauthorized: false,
      headers: { cookie: `bascule_session=${cookies.helpdesk}`, origin: base },
    });
    const messages: { type: string; code?: string }[] = [];
    ws.on('message', (m) => messages.push(JSON.parse(m.toString())));
    const closed = new Promise<number>((r) => ws.on('close', r));
    await expect.poll(() => messages.map((m) => m.type)).toEqual(['opened']);
    const t0 = Date.now();
    await app.close();
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(await closed).toBe(1001);
    expect(messages.at(-1)).toMatchObject({ type: 'closed', code: 'hub-stopping' });
  });
});
