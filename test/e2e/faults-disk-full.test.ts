import { createIdGenerator, deviceTopic } from '@bascule/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { connectAs, readIdentity } from './support/device-client.js';
import { AgentProcess, adminClient, eventually, HubProcess, tempDir } from './support/index.js';
import { SmallDisk } from './support/mount-namespace.js';

/*
 * Faults (issue 9): disk full. The hub's data directory on a small tmpfs in a private mount namespace,
 * filled up: REST writes are refused with a sentence, MQTT messages are not acknowledged (the device
 * sends them again), the hub stays up, and both work again once space returns.
 */

describe('faults: hub disk full', () => {
  let disk: SmallDisk | undefined;
  let hub: HubProcess | undefined;

  afterAll(async () => {
    await hub?.stop();
    await disk?.stop();
  });

  it('refuses writes with a clear error, stays up, and recovers when space returns', async () => {
    const dir = tempDir('hub-full');
    disk = await SmallDisk.mount(dir, '32m');
    hub = new HubProcess(dir);
    hub.launcher = disk.launcher;
    await hub.start();
    const agent = await new AgentProcess(hub, tempDir('hub-full-agent'), 1).enroll('Informatique');
    const id = readIdentity(agent.stateDir);
    const api = await adminClient(hub);
    const nextId = createIdGenerator();
    const health = () => {
      const ts = new Date().toISOString();
      return JSON.stringify({
        v: 1,
        id: nextId(),
        ts,
        samples: [
          {
            ts,
            load1: 0.1,
            load5: 0.1,
            load15: 0.1,
            cpuCount: 2,
            memTotalBytes: 1e9,
            memUsedBytes: 5e8,
            swapTotalBytes: 0,
            swapUsedBytes: 0,
            uptimeSeconds: 10,
            disks: [],
          },
        ],
      });
    };

    const filled = disk.fill();
    const refused = await api.post<{ message: string }>('/api/v1/registry/departments', { name: 'Voirie' });
    console.log(
      `hub-disk-full: filled ${filled} bytes; REST write answered ${refused.status}: ${JSON.stringify(refused.body)}`,
    );
    expect(refused.status).toBe(507);
    expect(refused.body.message).toMatch(/disk is full/);

    const client = await connectAs(id);
    client.on('error', () => undefined);
    const closed = new Promise<string>((resolve) => client.once('close', () => resolve('closed')));
    const outcome = await Promise.race([
      client.publishAsync(deviceTopic(id.deviceId, 'health'), health(), { qos: 1 }).then(() => 'acknowledged'),
      closed,
      new Promise<string>((resolve) => setTimeout(() => resolve('no answer'), 5_000)),
    ]);
    console.log(`hub-disk-full: a QoS 1 health message while full: ${outcome}`);
    expect(outcome).not.toBe('acknowledged');
    client.end(true);
    expect(hub.proc.running).toBe(true);
    expect(hub.proc.stdout.some((l) => l.includes('disk is full'))).toBe(true);

    disk.free();
    const created = await api.post<{ id: string }>('/api/v1/registry/departments', { name: 'Voirie' });
    expect(created.status).toBe(201);
    const again = await connectAs(id);
    await again.publishAsync(deviceTopic(id.deviceId, 'health'), health(), { qos: 1 });
    await again.endAsync();
  }, 120_000);
});

/*
 * The agent's state directory on a small tmpfs, filled up: the daemon keeps running, logs that the disk
 * is full, its heartbeats still reach the hub (held in memory), and its outbox goes back to files when
 * space returns.
 */
describe('faults: agent disk full', () => {
  let disk: SmallDisk | undefined;
  let hub: HubProcess | undefined;
  let agent: AgentProcess | undefined;

  afterAll(async () => {
    await agent?.stop();
    await disk?.stop();
    await hub?.stop();
  });

  it('keeps running, says so, keeps sending, and resumes when space returns', async () => {
    hub = await new HubProcess(tempDir('agent-full-hub')).start();
    const dir = tempDir('agent-full');
    disk = await SmallDisk.mount(dir, '8m');
    agent = new AgentProcess(hub, dir, 1);
    agent.launcher = disk.launcher;
    await agent.enroll('Informatique');
    agent.start();
    const proc = agent.proc;
    if (!proc) throw new Error('agent not started');
    await proc.waitFor(() => proc.logs().find((l) => l.msg === 'mqtt: connected to the hub'), 'connected');
    const api = await adminClient(hub);
    const device = async () =>
      (
        await api.get<{ lastSeenAt: string; lastHeartbeat: { stateDiskFull?: boolean } | null }>(
          `/api/v1/devices/${agent?.deviceId}`,
        )
      ).body;
    const lastSeen = async () => (await device()).lastSeenAt;

    disk.fill();
    await proc.waitFor(() => proc.logs().find((l) => String(l.msg).includes('the disk is full')), 'disk full log');
    const seenWhileFull = await lastSeen();
    // Still sending while full: the hub sees it again (a heartbeat a second; a loaded machine may lag).
    await eventually(async () => (await lastSeen()) !== seenWhileFull, 'a message while the disk is full', 30_000);
    expect(proc.running).toBe(true);
    // The hub is told: the samples say the state directory is full.
    await eventually(async () => (await device()).lastHeartbeat?.stateDiskFull === true, 'stateDiskFull at the hub');

    disk.free();
    await proc.waitFor(() => proc.logs().find((l) => String(l.msg).includes('space again')), 'space again log');
    expect(proc.running).toBe(true);
    await eventually(async () => (await device()).lastHeartbeat?.stateDiskFull === undefined, 'stateDiskFull gone');
  }, 120_000);
});
