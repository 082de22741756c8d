// @peculiar/x509 (the certificates) needs it, as in main.ts.
import 'reflect-metadata';
import path from 'node:path';
// mqtt.js is the agent's dependency (hoisted to the workspace root): the real client a device uses.
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { Logger } from '../core/logger.js';
import { loadOrCreatePki } from '../pki/pki.js';
import { FakeClock, testServices } from '../test-support.js';
import { MqttBroker } from './mqtt-broker.js';

type Services = Awaited<ReturnType<typeof testServices>>;

async function startBroker(services: Services) {
  const clock = new FakeClock();
  const logger = new Logger(() => undefined, 'error');
  const pki = await loadOrCreatePki(path.join(services.dir, 'tls'), { publicHost: '127.0.0.1' }, clock, logger);
  const broker = new MqttBroker(
    pki,
    services.deviceAuth,
    services.ingest,
    services.devices,
    logger,
    services.metrics,
    clock,
    { onRpcResponse: () => undefined, onTerminalFrame: () => undefined, onDeviceDisconnected: () => undefined },
  );
  const port = await broker.start('127.0.0.1', 0);
  return { broker, port, ca: pki.caCertPem };
}

async function enrolWithSecret(services: Services) {
  const { token } = await services.enrolment.createToken({
    department: 'mairie',
    uses: 1,
    expiresInMs: 3_600_000,
    createdBy: 'spec',
  });
  return services.enrolment.enroll(
    { token, identity: { hostname: 'pc-accueil-1', machineId: 'm1', dmiUuid: 'u1', serial: 's1', macs: [] } },
    { ip: '127.0.0.1', caCertPem: 'CA', mqttUrls: ['mqtts://x:8883'] },
  );
}

describe('MqttBroker', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  // A configuration saved for a whole fleet publishes one config per device in the same tick. With aedes's
  // default emitter (at most 100 deliveries at once, the rest queued), the queue drained by recursion and
  // overflowed the stack at 10,000 devices (docs/performance.md, configuration push): the hub crashed.
  it('publishes a burst of 20,000 messages in one tick and delivers them', { timeout: 60_000 }, async () => {
    const services = await testServices();
    const { broker, port, ca } = await startBroker(services);
    cleanup.push(() => broker.stop());
    const device = await enrolWithSecret(services);
    const client = await mqtt.connectAsync(`mqtts://127.0.0.1:${port}`, {
      ca,
      clientId: device.deviceId,
      username: device.deviceId,
      password: device.secret,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    cleanup.push(() => client.endAsync(true));
    const topic = `bascule/v1/d/${device.deviceId}/config`;
    await client.subscribeAsync(topic, { qos: 1 });
    let received = 0;
    client.on('message', () => received++);

    // Deliveries to a connected device wait for its socket; those to devices offline end at once.
    const burst: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) burst.push(broker.publish(topic, Buffer.from(`{"n":${i}}`), 1));
    for (let i = 0; i < 20_000; i++)
      burst.push(broker.publish(`bascule/v1/d/OFFLINE${i}/config`, Buffer.from(`{"n":${i}}`), 1));
    await Promise.all(burst);
    await expect.poll(() => received, { timeout: 20_000 }).toBe(200);
  });
});
