import path from 'node:path';
import { createIdGenerator } from '@bascule/protocol';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../agent/src/logging/logger.js';
import { DEFAULT_OUTBOX_BOUNDS, Outbox, type OutboxKind } from '../../agent/src/outbox/outbox.js';
import { StateDirectory } from '../../agent/src/system/state-directory.js';
import { AgentProcess, type HubProcess, startHub, tempDir } from './support/index.js';

/*
 * Faults (issue 9): an agent cut off from its hub for 72 hours. The agent's own outbox, on its real
 * state directory and with its production bounds, takes 72 hours of messages produced on a fake clock
 * (a heartbeat every 30 s, a report every 30 min, an event every hour); then the real agent daemon
 * starts against a real hub and drains it. The outbox stayed within its bound, only the oldest health
 * messages were dropped, every report and event arrived, and everything arrived in the order produced.
 */

const HOURS = 72;
const HEARTBEAT_S = 30;

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

describe('faults: agent cut off for 72 hours', () => {
  let hub: HubProcess | undefined;
  let agent: AgentProcess | undefined;

  afterAll(async () => {
    await agent?.stop();
    await hub?.stop();
  });

  it('keeps its outbox bounded, thins health first, and delivers reports and events in order', async () => {
    hub = await startHub();
    agent = await new AgentProcess(hub, tempDir('cutoff'), 3_600).enroll('Informatique');

    const logger = createMemoryLogger();
    const outbox = new Outbox(new StateDirectory(agent.stateDir), logger);
    outbox.open();
    const nextId = createIdGenerator();
    const produced: { id: string; kind: OutboxKind }[] = [];
    let maxMessages = 0;
    let maxBytes = 0;
    const start = Date.parse('2026-12-01T08:00:00Z');
    for (let s = 0; s < HOURS * 3600; s += HEARTBEAT_S) {
      const ts = new Date(start + s * 1000).toISOString();
      const id = nextId();
      const add = (kind: OutboxKind, message: { id: string } & Record<string, unknown>) => {
        outbox.enqueue(kind, message);
        produced.push({ id: message.id, kind });
        const st = outbox.stats();
        maxMessages = Math.max(maxMessages, st.messages);
        maxBytes = Math.max(maxBytes, st.bytes);
      };
      add('health', { v: 1, id, ts, samples: [sample(ts)] });
      if (s % 1800 === 0) add('report', { v: 1, id: nextId(), ts, revision: s / 1800 + 1, modules: {} });
      if (s % 3600 === 0) {
        const scanId = `scan-${s}`;
        add('event', {
          v: 1,
          id: nextId(),
          ts,
          events: [{ type: 'antivirus.scan.started', ts, data: { scanId, trigger: 'scheduled', paths: ['/home'] } }],
        });
      }
    }
    const kept = outbox.pending().length;
    expect(maxMessages).toBeLessThanOrEqual(DEFAULT_OUTBOX_BOUNDS.maxMessages);
    expect(maxBytes).toBeLessThanOrEqual(DEFAULT_OUTBOX_BOUNDS.maxBytes);

    const began = Date.now();
    agent.start();
    const drained = await agent.proc?.waitFor(
      () => agent?.proc?.logs().find((l) => l.msg === 'mqtt: connected to the hub') && outboxEmpty(agent),
      'outbox drained',
      300_000,
    );
    expect(drained).toBe(true);
    const drainMs = Date.now() - began;
    await agent.stop();
    await hub.stop();

    const sqlite = new SqliteDatabase(path.join(hub.dataDir, 'bascule.db'), { readonly: true });
    try {
      const order = new Map(
        (sqlite.prepare('SELECT id FROM ingested_messages ORDER BY rowid').all() as { id: string }[]).map((r, i) => [
          r.id,
          i,
        ]),
      );
      const arrived = produced.filter((p) => order.has(p.id));
      const missing = produced.filter((p) => !order.has(p.id));
      // Only health messages are missing, and they are the oldest ones.
      expect(missing.every((p) => p.kind === 'health')).toBe(true);
      const firstKeptHealth = produced.findIndex((p) => p.kind === 'health' && order.has(p.id));
      expect(produced.slice(firstKeptHealth).every((p) => order.has(p.id))).toBe(true);
      // Reports and events: all of them; everything in the order produced.
      for (const kind of ['report', 'event'] as const) {
        expect(arrived.filter((p) => p.kind === kind).length).toBe(produced.filter((p) => p.kind === kind).length);
      }
      const positions = arrived.map((p) => order.get(p.id) as number);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      // The daemon's own first messages (its inventory) enter a full outbox: a few more old health messages go.
      expect(arrived.length).toBeGreaterThan(kept - 10);
      console.log(
        `outbox-72h: ${produced.length} produced (${produced.filter((p) => p.kind === 'health').length} health), ` +
          `at most ${maxMessages} messages / ${maxBytes} bytes in the outbox, ${missing.length} health dropped, ` +
          `${arrived.length} delivered in order in ${drainMs} ms`,
      );
    } finally {
      sqlite.close();
    }
    agent = undefined;
    hub = undefined;
  }, 400_000);
});

function outboxEmpty(agent: AgentProcess | undefined): boolean {
  if (!agent) return false;
  const dir = new StateDirectory(agent.stateDir);
  return dir.list('outbox').length === 0;
}

/*
 * The same with the real daemon on an accelerated clock (BASCULE_TEST_CLOCK_SPEED=3600: an hour a
 * second), default heartbeat (60 s) and an outbox bound of 100 messages so that 72 h of health does not
 * fit: the hub is stopped for 72 s (72 h for the agent), started again, and the daemon delivers what it
 * kept, newest health samples in order.
 */
describe('faults: real daemon cut off for 72 hours (accelerated clock)', () => {
  let hub: HubProcess | undefined;
  let agent: AgentProcess | undefined;
  const SPEED = 3600;
  const BOUND = 100;

  afterAll(async () => {
    await agent?.stop();
    await hub?.stop();
  });

  it('stays within its bound, thins health, and delivers in order after reconnect', async () => {
    hub = await startHub();
    agent = await new AgentProcess(hub, tempDir('cutoff-daemon'), 60).enroll('Informatique');
    agent.runEnv = { BASCULE_TEST_CLOCK_SPEED: String(SPEED) };
    agent.runArgs = ['--outbox-max-messages', String(BOUND)];
    agent.start();
    const proc = agent.proc;
    if (!proc) throw new Error('agent not started');
    await proc.waitFor(() => proc.logs().find((l) => l.msg === 'mqtt: connected to the hub'), 'connected');
    await hub.stop();
    const cutAt = Date.now();
    let maxMessages = 0;
    while (Date.now() - cutAt < (HOURS * 3_600_000) / SPEED) {
      maxMessages = Math.max(maxMessages, new StateDirectory(agent.stateDir).list('outbox').length);
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const dropped = proc.logs().filter((l) => l.msg === 'outbox: over its bounds, dropping a message');
    console.log(`outbox-72h daemon: cut off, at most ${maxMessages} messages in the outbox, ${dropped.length} dropped`);
    expect(maxMessages).toBeLessThanOrEqual(BOUND);
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.every((l) => l.kind === 'health')).toBe(true);
    expect(proc.running).toBe(true);

    await hub.start();
    const restartedAt = Date.now();
    await proc.waitFor(() => outboxEmpty(agent), 'outbox drained', 330_000);
    const drainMs = Date.now() - restartedAt;
    await agent.stop();
    await hub.stop();

    const sqlite = new SqliteDatabase(path.join(hub.dataDir, 'bascule.db'), { readonly: true });
    try {
      const samples = sqlite
        .prepare(
          `SELECT s.ts FROM health_samples s JOIN ingested_messages m ON m.id = s.message_id
           WHERE s.device_id = ? ORDER BY m.rowid, s.idx`,
        )
        .all(agent.deviceId) as { ts: string }[];
      const ts = samples.map((s) => s.ts);
      expect(ts).toEqual([...ts].sort());
      const spanHours = (Date.parse(ts.at(-1) ?? '') - Date.parse(ts[0] ?? '')) / 3_600_000;
      console.log(
        `outbox-72h daemon: ${dropped.length} health messages dropped, at most ${maxMessages} in the outbox, ` +
          `${samples.length} samples delivered in order spanning ${spanHours.toFixed(1)} h (agent time), ` +
          `drained ${drainMs} ms after the hub came back`,
      );
      expect(spanHours).toBeGreaterThan(HOURS - 1);
    } finally {
      sqlite.close();
    }
    agent = undefined;
    hub = undefined;
  }, 600_000);
});
