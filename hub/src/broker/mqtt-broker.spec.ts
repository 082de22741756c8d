// @peculiar/x509 (the PKI) loads tsyringe, which needs the reflect polyfill before it.
import 'reflect-metadata';
import path from 'node:path';
import {
  decodePayload,
  deviceTopic,
  encodePayload,
  MAX_PAYLOAD_BYTES,
  PROTOCOL_VERSION,
  type RpcRequest,
} from '@bascule/protocol';
import mqemitter from 'mqemitter';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Logger } from '../core/logger.js';
import { loadOrCreatePki } from '../pki/pki.js';
import { FakeClock, testServices } from '../test-support.js';
import { MqttBroker } from './mqtt-broker.js';

type Services = Awaited<ReturnType<typeof testServices>>;

/**
 * A real device (mqtt.js over TLS) against the real broker and RpcService, with the emitter given to the
 * broker so that the spec hears everything that reaches it, as every subscriber and hub would.
 */
describe('MqttBroker: a message refused without closing the connection', () => {
  const clock = new FakeClock();
  const lines: string[] = [];
  const emitted: string[] = [];
  const relayedAnswers: number[] = [];
  let s: Services;
  let broker: MqttBroker;
  let device: mqtt.MqttClient;
  let deviceId: string;
  let closes = 0;

  beforeAll(async () => {
    s = await testServices(clock);
    const logger = new Logger((l) => lines.push(l), 'debug');
    const pki = await loadOrCreatePki(path.join(s.dir, 'tls'), { publicHost: '127.0.0.1' }, clock, logger);
    const mq = mqemitter({ matchEmptyLevels: true });
    await new Promise<void>((resolve) =>
      mq.on(
        'bascule/#',
        (packet, done) => {
          emitted.push(packet.topic);
          done();
        },
        () => resolve(),
      ),
    );
    broker = new MqttBroker(
      pki,
      s.deviceAuth,
      s.ingest,
      s.devices,
      logger,
      s.metrics,
      clock,
      {
        onRpcResponse: (id, payload) => {
          relayedAnswers.push(payload.length);
          s.rpc.onResponse(id, payload);
        },
        onTerminalFrame: () => undefined,
        onDeviceDisconnected: () => undefined,
      },
      { mq, close: async () => undefined },
    );
    const port = await broker.start('127.0.0.1', 0);
    s.deviceLink.attach(broker);

    const { token } = await s.enrolment.createToken({
      department: 'mairie',
      uses: 1,
      expiresInMs: 60_000,
      createdBy: 'spec',
    });
    const enrolled = await s.enrolment.enroll(
      { token, identity: { hostname: 'pc-1', machineId: 'm1', dmiUuid: 'u1', serial: 's1', macs: [] } },
      { ip: '127.0.0.1', caCertPem: pki.caCertPem, mqttUrls: [`mqtts://127.0.0.1:${port}`] },
    );
    deviceId = enrolled.deviceId;
    device = await mqtt.connectAsync(`mqtts://127.0.0.1:${port}`, {
      clientId: deviceId,
      username: deviceId,
      password: enrolled.secret,
      rejectUnauthorized: false,
      reconnectPeriod: 0,
    });
    device.on('close', () => {
      closes += 1;
    });
    await device.subscribeAsync(deviceTopic(deviceId, 'rpc/req'), { qos: 1 });
  });

  afterAll(async () => {
    await device?.endAsync();
    await broker?.stop();
  });

  it('acknowledges an oversized rpc/res and an unknown topic, relays neither, and logs why; a valid answer passes', async () => {
    const answered = new Promise<RpcRequest>((resolve) =>
      device.once('message', (_topic, payload) => resolve(decodePayload(payload) as RpcRequest)),
    );
    const call = s.rpc.call(deviceId, 'inventory.refresh', {}, 10_000);
    const req = await answered;
    const envelope = { v: PROTOCOL_VERSION, id: '01JRESP0000000000000000000', ts: clock.now().toISOString() };
    const res = deviceTopic(deviceId, 'rpc/res');

    // Raw bytes, not encodePayload: gzip would shrink them below the limit.
    const oversized = Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20);
    // Each resolves on its PUBACK: the device's outbox can let it go.
    await device.publishAsync(res, oversized, { qos: 1 });
    await device.publishAsync(`bascule/v1/d/${deviceId}/whatever`, Buffer.from('{}'), { qos: 1 });
    // The other two paths of aedes's publish handler: no acknowledgement, and PUBREC/PUBCOMP.
    await device.publishAsync(res, oversized, { qos: 0 });
    await device.publishAsync(`bascule/v1/d/${deviceId}/whatever`, Buffer.from('{}'), { qos: 2 });
    await device.publishAsync(res, encodePayload({ ...envelope, reqId: req.id, ok: true, result: { n: 1 } }), {
      qos: 1,
    });

    await expect(call).resolves.toEqual({ n: 1 });
    expect(relayedAnswers).toHaveLength(1);
    // The hub's own request, then the one answer that passed.
    expect(emitted.filter((t) => t.startsWith(`bascule/v1/d/${deviceId}/`))).toEqual([
      deviceTopic(deviceId, 'rpc/req'),
      res,
    ]);
    expect(device.connected).toBe(true);
    expect(closes).toBe(0);

    const refused = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'device publish refused');
    const tooLarge = expect.objectContaining({
      deviceId,
      topic: res,
      reason: expect.stringContaining(`${MAX_PAYLOAD_BYTES + 1} bytes`),
    });
    const unknown = expect.objectContaining({
      deviceId,
      topic: `bascule/v1/d/${deviceId}/whatever`,
      reason: expect.any(String),
    });
    expect(refused).toEqual([tooLarge, unknown, tooLarge, unknown]);
    expect(lines.some((l) => l.includes('rpc answer refused'))).toBe(false);
  });
});
