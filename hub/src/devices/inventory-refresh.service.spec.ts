import { decodePayload, encodePayload, PROTOCOL_VERSION, type RpcRequest } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiError } from '../http/http-errors.js';
import { enrolTestDevice, FakeClock, testServices } from '../test-support.js';
import { InventoryRefreshService } from './inventory-refresh.service.js';

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

const enrolled = (s: Services, hostname: string) => enrolTestDevice(s, { hostname });

describe('InventoryRefreshService', () => {
  let s: Services;
  let service: InventoryRefreshService;
  let device: string;
  const online = new Set<string>();

  beforeEach(async () => {
    s = await testServices(new FakeClock());
    device = await enrolled(s, 'accueil-01');
    service = new InventoryRefreshService(s.deviceService, s.rpc, s.audit, new FakeClock(), {
      info() {},
    } as never);
  });
  afterEach(async () => {
    s.rpc.stop();
    s.deviceLink.detach();
    online.clear();
    await s.close();
  });

  const audit = () =>
    s.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'target', 'detail'])
      .where('action', '=', 'inventory.refresh')
      .execute();

  it('sends inventory.refresh to the device and audits who asked', async () => {
    online.add(device);
    const broker = fakeBroker(s, online, () => ({ ok: true, result: { deferred: false } }));
    s.deviceLink.attach(broker);
    const r = await service.refresh(device, 'helen');
    expect(r).toMatchObject({ deviceId: device, deferred: false });
    expect(broker.requests.map((q) => q.method)).toEqual(['inventory.refresh']);
    expect(await audit()).toEqual([
      {
        actor: 'helen',
        action: 'inventory.refresh',
        target: device,
        detail: JSON.stringify({ outcome: 'requested', deferred: false }),
      },
    ]);
  });

  it('says when the device is on a metered link and the full inventory waits', async () => {
    online.add(device);
    s.deviceLink.attach(fakeBroker(s, online, () => ({ ok: true, result: { deferred: true } })));
    expect((await service.refresh(device, 'helen')).deferred).toBe(true);
  });

  it('refuses with 409 DEVICE_OFFLINE when the device is not connected, and audits the attempt', async () => {
    s.deviceLink.attach(fakeBroker(s, online, () => undefined));
    const err = (await service.refresh(device, 'helen').catch((e: unknown) => e)) as ApiError;
    expect(err.getStatus()).toBe(409);
    expect(err.getResponse()).toMatchObject({
      code: 'DEVICE_OFFLINE',
      message: expect.stringMatching(/accueil-01 is offline/),
    });
    expect((await audit())[0]?.detail).toBe(JSON.stringify({ outcome: 'offline' }));
  });

  it('refuses with 409 AGENT_TOO_OLD when the agent does not know the method', async () => {
    online.add(device);
    s.deviceLink.attach(
      fakeBroker(s, online, () => ({ ok: false, error: { code: 'unknown-method', message: 'unknown method' } })),
    );
    const err = (await service.refresh(device, 'helen').catch((e: unknown) => e)) as ApiError;
    expect(err.getStatus()).toBe(409);
    expect(err.getResponse()).toMatchObject({ code: 'AGENT_TOO_OLD' });
  });

  it('answers 404 for an unknown device', async () => {
    const err = (await service.refresh('01JNOPE0000000000000000000', 'helen').catch((e: unknown) => e)) as ApiError;
    expect(err.getStatus()).toBe(404);
  });
});
