import https from 'node:https';
import { createIdGenerator, deviceTopic } from '@bascule/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAs, readIdentity, type StoredIdentity } from './support/device-client.js';
import { AgentProcess, adminClient, type HubProcess, startHub, tempDir } from './support/index.js';

/*
 * Hostile clients against a real hub (issue 9): an enrolled device reaching for other devices' topics,
 * wildcards and `$SYS`, or leaving a retained message on its own config topic; and a thousand failed
 * logins sent at once from one address.
 */

interface LoginResult {
  status: number;
  retryAfter?: string;
}

describe('hostile clients', () => {
  let hub: HubProcess;
  let mallory: StoredIdentity;
  let victim: StoredIdentity;
  const nextId = createIdGenerator();

  beforeAll(async () => {
    hub = await startHub();
    mallory = readIdentity((await new AgentProcess(hub, tempDir('mallory'), 1).enroll('Informatique')).stateDir);
    victim = readIdentity((await new AgentProcess(hub, tempDir('victim'), 1).enroll('Finances')).stateDir);
  });

  afterAll(async () => {
    await hub?.stop();
  });

  it("refuses subscriptions to other devices' topics, wildcards and $SYS, and keeps the connection", async () => {
    const client = await connectAs(mallory);
    const filters = [
      '#',
      '+/#',
      '$SYS/#',
      '$SYS/broker/clients/connected',
      'bascule/v1/d/+/config',
      'bascule/v1/d/#',
      `bascule/v1/d/${victim.deviceId}/config`,
      `bascule/v1/d/${victim.deviceId}/rpc/req`,
      `bascule/v1/d/${victim.deviceId}/term/+/in`,
      `bascule/v1/d/${mallory.deviceId}/#`,
      `bascule/v1/d/${mallory.deviceId}/status`,
    ];
    for (const filter of filters) {
      // SUBACK 0x80 for that filter; mqtt.js turns it into an error.
      await expect(client.subscribeAsync(filter, { qos: 1 }), filter).rejects.toThrow(/Subscribe error/);
    }
    const refused = hub.proc.stdout.filter((l) => l.includes('"subscription refused"') && l.includes(mallory.deviceId));
    expect(refused.length).toBe(filters.length);
    const own = await client.subscribeAsync(deviceTopic(mallory.deviceId, 'config'), { qos: 1 });
    expect(own[0]?.qos).toBe(1);
    expect(client.connected).toBe(true);
    await client.endAsync();
  });

  it('drops a retained message a device leaves on its own config topic', async () => {
    const client = await connectAs(mallory);
    const forged = JSON.stringify({ v: 1, id: nextId(), ts: new Date().toISOString(), revision: 999_999, modules: {} });
    await client.publishAsync(deviceTopic(mallory.deviceId, 'config'), forged, { qos: 1, retain: true });
    await client.endAsync();
    const reader = await connectAs(mallory);
    const received: string[] = [];
    reader.on('message', (_topic, payload) => received.push(payload.toString()));
    await reader.subscribeAsync(deviceTopic(mallory.deviceId, 'config'), { qos: 1 });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(received.some((p) => p.includes('999999'))).toBe(false);
    await reader.endAsync();
  });

  it("closes the connection of a device that publishes on another device's topic; the other is not disturbed", async () => {
    const bystander = await connectAs(victim);
    const client = await connectAs(mallory);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    const status = JSON.stringify({ v: 1, id: nextId(), ts: new Date().toISOString(), state: 'offline' });
    client.publish(deviceTopic(victim.deviceId, 'status'), status, { qos: 1 });
    await closed;
    const device = await (await adminClient(hub)).get<{ online: boolean }>(`/api/v1/devices/${victim.deviceId}`);
    expect(device.body.online).toBe(true);
    expect(bystander.connected).toBe(true);
    await bystander.endAsync();
    const refusals = hub.proc.stdout.filter(
      (l) => l.includes('"device publish refused"') && l.includes(mallory.deviceId),
    );
    expect(refusals.length).toBeGreaterThan(0);
  });

  it('throttles 1,000 failed logins sent at once from one address; another address still signs in', async () => {
    await adminClient(hub); // the admin's one-time password is replaced before the storm
    const r = await hub.addUser('alice', 'helpdesk', 'une phrase de passe pour les tests e2e');
    expect(r.code, r.stderr).toBe(0);
    // 127.0.0.2 is the attacker: Linux routes all of 127/8 to loopback, so the hub sees another address.
    const attacker = new https.Agent({
      keepAlive: true,
      maxSockets: 50,
      localAddress: '127.0.0.2',
      rejectUnauthorized: false,
    });
    const login = (username: string, password: string, agent?: https.Agent) =>
      new Promise<LoginResult>((resolve, reject) => {
        const body = JSON.stringify({ username, password });
        const req = https.request(
          new URL('/api/v1/auth/login', hub.url),
          {
            method: 'POST',
            agent: agent ?? new https.Agent({ rejectUnauthorized: false }),
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });

    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) => login(i % 2 === 0 ? 'admin' : `user${i}`, `wrong guess ${i}`, attacker)),
    );
    const seconds = (Date.now() - started) / 1000;
    attacker.destroy();
    const by = (s: number) => results.filter((x) => x.status === s).length;
    // Only a handful ever reach the password check (the rest are answered 429 at once, scrypt unspent).
    expect(by(401)).toBeLessThanOrEqual(12);
    expect(by(429)).toBeGreaterThanOrEqual(988);
    expect(by(401) + by(429)).toBe(1_000);
    expect(results.find((x) => x.status === 429)?.retryAfter).toMatch(/^\d+$/);
    console.log(
      `1,000 failed logins at once from 127.0.0.2: ${by(401)} checked, ${by(429)} throttled, in ${seconds.toFixed(1)} s`,
    );

    // The address is blocked, whatever account it tries; a colleague elsewhere is not.
    expect(
      (
        await login(
          'alice',
          'une phrase de passe pour les tests e2e',
          new https.Agent({ localAddress: '127.0.0.2', rejectUnauthorized: false }),
        )
      ).status,
    ).toBe(429);
    expect((await login('alice', 'une phrase de passe pour les tests e2e')).status).toBe(200);
    const checked = hub.proc.stdout.filter((l) => l.includes('"login failed"') && l.includes('127.0.0.2'));
    expect(checked.length).toBe(by(401));
  });
});
