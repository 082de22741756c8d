import path from 'node:path';
import { createIdGenerator, deviceTopic } from '@bascule/protocol';
import SqliteDatabase from 'better-sqlite3';
import type mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { connectAs, readIdentity, type StoredIdentity } from './support/device-client.js';
import { AgentProcess, type HubProcess, startHub, tempDir } from './support/index.js';

/*
 * Faults (issue 9): the hub killed with SIGKILL in the middle of heavy ingest. Raw MQTT clients with
 * real enrolled credentials publish QoS 1 health, status and event messages as fast as the broker takes
 * them, each remembering which ids got a PUBACK; the hub is killed mid-stream, restarted on the same
 * data directory, stopped, and its SQLite file opened read-only: every acknowledged id is there, and
 * `PRAGMA integrity_check` says `ok`.
 */

const DEVICES = 4;
const WINDOW = 32;
const INGEST_MS = 3_000;

interface Flood {
  acked: Set<string>;
  sent: number;
  done: Promise<void>;
}

function sample(ts: string) {
  return {
    ts,
    load1: 0.5,
    load5: 0.4,
    load15: 0.3,
    cpuCount: 4,
    memTotalBytes: 8e9,
    memUsedBytes: 4e9,
    swapTotalBytes: 0,
    swapUsedBytes: 0,
    uptimeSeconds: 1000,
    disks: [{ mount: '/', sizeBytes: 1e11, usedBytes: 5e10 }],
  };
}

/** Publishes until the connection dies, a window of messages in flight, and records each PUBACK. */
function flood(client: mqtt.MqttClient, deviceId: string): Flood {
  const nextId = createIdGenerator();
  const acked = new Set<string>();
  const state: Flood = { acked, sent: 0, done: Promise.resolve() };
  let n = 0;
  // mqtt.js keeps unacknowledged QoS 1 publishes of a dead connection pending: the close settles them.
  const closed = new Promise<never>((_, reject) => client.once('close', () => reject(new Error('closed'))));
  closed.catch(() => undefined);
  const one = async (): Promise<void> => {
    while (client.connected) {
      const id = nextId();
      const ts = new Date().toISOString();
      const kind = (['health', 'status', 'event'] as const)[n++ % 3] as 'health' | 'status' | 'event';
      const body =
        kind === 'health'
          ? { v: 1, id, ts, samples: [sample(ts)] }
          : kind === 'status'
            ? { v: 1, id, ts, state: 'online' }
            : {
                v: 1,
                id,
                ts,
                events: [
                  { type: 'antivirus.scan.started', ts, data: { scanId: id, trigger: 'scheduled', paths: ['/home'] } },
                ],
              };
      state.sent++;
      try {
        await Promise.race([
          client.publishAsync(deviceTopic(deviceId, kind), JSON.stringify(body), { qos: 1 }),
          closed,
        ]);
        acked.add(id);
      } catch {
        return; // the hub went away: this one was not acknowledged
      }
    }
  };
  state.done = Promise.all(Array.from({ length: WINDOW }, one)).then(() => undefined);
  return state;
}

describe('faults: hub killed during heavy ingest', () => {
  let hub: HubProcess | undefined;

  afterAll(async () => {
    await hub?.stop();
  });

  it('loses no acknowledged message and keeps the database intact', async () => {
    hub = await startHub();
    const ids: StoredIdentity[] = [];
    for (let i = 0; i < DEVICES; i++) {
      const agent = await new AgentProcess(hub, tempDir(`kill-${i}`), 1).enroll('Informatique');
      ids.push(readIdentity(agent.stateDir));
    }
    const clients = await Promise.all(ids.map((id) => connectAs(id)));
    for (const c of clients) c.on('error', () => undefined);
    const floods = clients.map((c, i) => flood(c, (ids[i] as StoredIdentity).deviceId));
    await new Promise((r) => setTimeout(r, INGEST_MS));
    await hub.kill();
    await Promise.all(floods.map((f) => f.done));
    for (const c of clients) c.end(true);

    const acked = floods.flatMap((f) => [...f.acked]);
    const sent = floods.reduce((s, f) => s + f.sent, 0);
    expect(acked.length).toBeGreaterThan(200);

    await hub.start();
    await hub.stop();
    const sqlite = new SqliteDatabase(path.join(hub.dataDir, 'bascule.db'), { readonly: true });
    try {
      expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = new Set(
        (sqlite.prepare('SELECT id FROM ingested_messages').all() as { id: string }[]).map((r) => r.id),
      );
      const lost = acked.filter((id) => !stored.has(id));
      console.log(
        `hub-kill: ${sent} sent, ${acked.length} acknowledged in ${INGEST_MS} ms by ${DEVICES} devices, ` +
          `${stored.size} stored, ${lost.length} acknowledged but lost`,
      );
      expect(lost).toEqual([]);
    } finally {
      sqlite.close();
    }
    hub = undefined;
  }, 120_000);
});
