import { decodePayload, encodePayload, PROTOCOL_VERSION, type RpcRequest } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrolTestDevice, FakeClock, testServices } from '../test-support.js';
import { WwanOperatorsService } from './wwan-operators.service.js';

type Services = Awaited<ReturnType<typeof testServices>>;

/** A connected device that answers `rpc/req` the way `answer` says, through the real RpcService. */
function fakeBroker(s: Services, answer: (req: RpcRequest) => object) {
  let n = 0;
  return {
    requests: [] as RpcRequest[],
    isConnected: () => true,
    async publish(topic: string, payload: Buffer) {
      const deviceId = topic.split('/').at(-3) as string;
      const req = decodePayload(payload) as RpcRequest;
      this.requests.push(req);
      const id = `01JABCDEFGHJKMNPQRSTVW${String(n++).padStart(4, '0')}`;
      setImmediate(() =>
        s.rpc.onResponse(
          deviceId,
          encodePayload({ v: PROTOCOL_VERSION, id, ts: new Date().toISOString(), reqId: req.id, ...answer(req) }),
        ),
      );
    },
  };
}

describe('WwanOperatorsService', () => {
  let s: Services;
  let service: WwanOperatorsService;
  let device: string;

  beforeEach(async () => {
    s = await testServices(new FakeClock());
    device = await enrolTestDevice(s, { hostname: 'nomade-07' });
    service = new WwanOperatorsService(s.deviceService, s.rpc, s.audit, new FakeClock(), { info() {} } as never);
  });
  afterEach(async () => {
    s.rpc.stop();
    s.deviceLink.detach();
    await s.close();
  });

  const audit = () =>
    s.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'target', 'detail'])
      .where('action', 'like', 'wwan.%')
      .execute();

  it('lists the operators the modem sees and audits who asked', async () => {
    const operators = [
      { name: 'Orange F', code: '20801', availability: 'current', accessTech: ['lte'] },
      { name: 'SFR', code: '20810', availability: 'available', accessTech: ['umts', 'hsdpa'] },
    ];
    const broker = fakeBroker(s, () => ({ ok: true, result: { modem: '0', operators } }));
    s.deviceLink.attach(broker);
    expect(await service.scan(device, 'helen')).toEqual({ deviceId: device, modem: '0', operators });
    expect(broker.requests.map((r) => [r.method, r.params])).toEqual([['wwan.operators.scan', { by: 'helen' }]]);
    expect(await audit()).toEqual([
      {
        actor: 'helen',
        action: 'wwan.operators.scan',
        target: device,
        detail: JSON.stringify({ outcome: 'done', modem: '0', operators: ['20801', '20810'] }),
      },
    ]);
  });

  it('registers on the operator a person chose, audited with the operator', async () => {
    const broker = fakeBroker(s, (r) => ({
      ok: true,
      result: { modem: '0', operator: (r.params as { operator: string }).operator, profilePinned: true },
    }));
    s.deviceLink.attach(broker);
    expect(await service.register(device, { operator: '20810' }, 'helen')).toEqual({
      deviceId: device,
      modem: '0',
      operator: '20810',
      profilePinned: true,
    });
    expect(broker.requests[0]?.params).toEqual({ operator: '20810', by: 'helen' });
    expect((await audit())[0]).toMatchObject({ actor: 'helen', action: 'wwan.operators.register' });
    expect(JSON.parse((await audit())[0]?.detail ?? '{}')).toMatchObject({ operator: '20810', outcome: 'done' });
  });

  it('refuses an operator code that is not MCC+MNC, before asking the device', async () => {
    const broker = fakeBroker(s, () => ({ ok: true, result: {} }));
    s.deviceLink.attach(broker);
    await expect(service.register(device, { operator: 'SFR' }, 'helen')).rejects.toMatchObject({
      message: expect.stringMatching(/operator: expected the operator code MCC\+MNC/),
    });
    expect(broker.requests).toEqual([]);
  });

  it('a device without a modem: the agent says so, audited as failed', async () => {
    s.deviceLink.attach(
      fakeBroker(s, () => ({ ok: false, error: { code: 'internal', message: 'no modem: ModemManager sees none' } })),
    );
    await expect(service.scan(device, 'helen')).rejects.toMatchObject({
      message: 'nomade-07 could not list the operators: no modem: ModemManager sees none',
    });
    expect(JSON.parse((await audit())[0]?.detail ?? '{}')).toEqual({ outcome: 'internal' });
  });
});
