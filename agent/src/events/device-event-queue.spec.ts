import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIdGenerator, deviceEventSchema, eventMessageSchema } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logging/logger.js';
import { Outbox } from '../outbox/outbox.js';
import { StateDirectory } from '../system/state-directory.js';
import { DeviceEventQueue } from './device-event-queue.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'antivirus-events-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const NOW = Date.parse('2026-12-02T10:00:00Z');

function setup(bounds = { maxMessages: 100, maxBytes: 1_000_000 }) {
  const outbox = new Outbox(new StateDirectory(root), createMemoryLogger(), bounds);
  outbox.open();
  let pumps = 0;
  const queue = new DeviceEventQueue(outbox, { pump: () => pumps++ }, createIdGenerator(), { now: () => NOW });
  return { outbox, queue, pumps: () => pumps };
}

function messages(outbox: Outbox) {
  return outbox.pending().map((e) => outbox.read(e)?.message);
}

describe('DeviceEventQueue', () => {
  it('puts a message the hub accepts in the outbox, and wakes the publisher', () => {
    const { outbox, queue, pumps } = setup();
    queue.emit('antivirus.scan.started', { scanId: 's1', trigger: 'on-demand', paths: ['/home'] });
    const [msg] = messages(outbox);
    const parsed = eventMessageSchema.parse(msg);
    expect(parsed.ts).toBe('2026-12-02T10:00:00.000Z');
    expect(deviceEventSchema.parse(parsed.events[0])).toEqual({
      type: 'antivirus.scan.started',
      ts: '2026-12-02T10:00:00.000Z',
      data: { scanId: 's1', trigger: 'on-demand', paths: ['/home'] },
    });
    expect(outbox.pending()[0]?.kind).toBe('event');
    expect(pumps()).toBe(1);
  });

  it('keeps every event when the outbox is over its bounds (health goes first)', () => {
    const { outbox, queue } = setup({ maxMessages: 3, maxBytes: 1_000_000 });
    for (let i = 0; i < 3; i++) outbox.enqueue('health', { id: `H${i}`.padEnd(26, '0') });
    for (let i = 0; i < 5; i++) {
      queue.emit('antivirus.scan.progress', { scanId: 's1', filesScanned: i });
    }
    const kept = outbox.pending().map((e) => e.kind);
    expect(kept.filter((k) => k === 'event')).toHaveLength(5);
    expect(kept).not.toContain('health');
  });

  it('a second emit gets a new message id (the hub de-duplicates by id)', () => {
    const { outbox, queue } = setup();
    queue.emit('antivirus.scan.progress', { scanId: 's1', filesScanned: 1 });
    queue.emit('antivirus.scan.progress', { scanId: 's1', filesScanned: 2 });
    const ids = messages(outbox).map((m) => m?.id);
    expect(new Set(ids).size).toBe(2);
  });
});
