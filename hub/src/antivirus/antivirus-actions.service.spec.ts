import { decodePayload, encodePayload, PROTOCOL_VERSION, type RpcRequest } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiError } from '../http/http-errors.js';
import { enrolTestDevice, FakeClock, testServices } from '../test-support.js';
import { AntivirusActionsService } from './antivirus-actions.service.js';

type Services = Awaited<ReturnType<typeof testServices>>;

/** A broker where `online` devices answer `rpc/req` the way `answer` says, through the real RpcService. */
function fakeBroker(s: Services, online: Set<string>, answer: (req: RpcRequest) => object | undefined) {
  let n = 0;
  return {
    requests: [] as RpcRequest[],
    isConnected: (id: string) => online.has(id),
    async publish(topic: string, payload: Buffer) {
      const deviceId = topic.split('/').at(-3) as string;
      const req = decodePayload(payload) as RpcRequest;
      this.requests.push(req);
      const body = answer(req);
      if (!body) return;
      const id = `01JABCDEFGHJKMNPQRSTVW${String(n++).padStart(4, '0')}`;
      setImmediate(() =>
        s.rpc.onResponse(
          deviceId,
          encodePayload({ v: PROTOCOL_VERSION, id, ts: new Date().toISOString(), reqId: req.id, ...body }),
        ),
      );
    },
  };
}

describe('AntivirusActionsService', () => {
  let s: Services;
  let service: AntivirusActionsService;
  let device: string;
  const online = new Set<string>();

  beforeEach(async () => {
    s = await testServices(new FakeClock());
    device = await enrolTestDevice(s, { hostname: 'accueil-01' });
    service = new AntivirusActionsService(s.deviceService, s.rpc, s.audit, new FakeClock(), { info() {} } as never);
  });
  afterEach(async () => {
    s.rpc.stop();
    s.deviceLink.detach();
    online.clear();
    await s.close();
  });

  const audit = (action: string) =>
    s.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'target', 'detail'])
      .where('action', '=', action)
      .execute();
  const failure = (p: Promise<unknown>) => p.catch((e: unknown) => e) as Promise<ApiError>;

  it('starts a scan with the paths asked for, says who asked, and audits it with the scan id', async () => {
    online.add(device);
    const broker = fakeBroker(s, online, () => ({ ok: true, result: { scanId: 'scan-1' } }));
    s.deviceLink.attach(broker);
    const r = await service.scan(device, { paths: ['/home/alice'] }, 'helen');
    expect(r).toMatchObject({ deviceId: device, scanId: 'scan-1' });
    expect(broker.requests.map((q) => [q.method, q.params])).toEqual([
      ['antivirus.scan', { paths: ['/home/alice'], by: 'helen' }],
    ]);
    expect(await audit('antivirus.scan')).toEqual([
      {
        actor: 'helen',
        action: 'antivirus.scan',
        target: device,
        detail: JSON.stringify({ paths: ['/home/alice'], outcome: 'started', scanId: 'scan-1' }),
      },
    ]);
  });

  it('refuses a bad body with 400 before asking the device', async () => {
    online.add(device);
    const broker = fakeBroker(s, online, () => ({ ok: true, result: { scanId: 'x' } }));
    s.deviceLink.attach(broker);
    for (const body of [{ paths: ['home'] }, { paths: ['/home/../etc'] }, { paths: [] }, { path: '/home' }, [1]]) {
      expect((await failure(service.scan(device, body, 'helen'))).getStatus()).toBe(400);
    }
    expect(broker.requests).toEqual([]);
  });

  it('turns busy, offline, unknown record and an existing file into clear HTTP errors, audited', async () => {
    s.deviceLink.attach(fakeBroker(s, online, () => undefined));
    const offline = await failure(service.scan(device, {}, 'helen'));
    expect([offline.getStatus(), offline.getResponse()]).toMatchObject([409, { code: 'DEVICE_OFFLINE' }]);
    s.deviceLink.detach();

    online.add(device);
    const answers: Record<string, object> = {
      'antivirus.scan': { ok: false, error: { code: 'busy', message: 'a scan is already running' } },
      'antivirus.restore': { ok: false, error: { code: 'not-found', message: 'no quarantined file has the id q1' } },
    };
    s.deviceLink.attach(fakeBroker(s, online, (req) => answers[req.method]));
    const busy = await failure(service.scan(device, {}, 'helen'));
    expect([busy.getStatus(), busy.getResponse()]).toMatchObject([409, { code: 'SCAN_RUNNING' }]);
    expect((await failure(service.restore(device, 'q1', 'helen'))).getStatus()).toBe(404);
    answers['antivirus.restore'] = { ok: false, error: { code: 'conflict', message: '/home/a/x exists again' } };
    const conflict = await failure(service.restore(device, 'q1', 'helen'));
    expect([conflict.getStatus(), conflict.getResponse()]).toMatchObject([409, { code: 'RESTORE_CONFLICT' }]);
    expect((await failure(service.restore(device, '../etc', 'helen'))).getStatus()).toBe(400);

    expect((await audit('antivirus.scan')).map((a) => JSON.parse(a.detail as string).outcome)).toEqual([
      'offline',
      'busy',
    ]);
    expect((await audit('antivirus.restore')).map((a) => JSON.parse(a.detail as string).outcome)).toEqual([
      'not-found',
      'conflict',
    ]);
  });

  it('restores and audits the path put back', async () => {
    online.add(device);
    s.deviceLink.attach(fakeBroker(s, online, () => ({ ok: true, result: { path: '/home/alice/x.exe' } })));
    expect(await service.restore(device, 'q1', 'helen')).toEqual({ path: '/home/alice/x.exe' });
    expect((await audit('antivirus.restore'))[0]?.detail).toBe(
      JSON.stringify({ quarantineId: 'q1', outcome: 'restored', path: '/home/alice/x.exe' }),
    );
  });
});
