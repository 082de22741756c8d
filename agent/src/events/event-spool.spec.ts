import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceEvent } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logging/logger.js';
import { StateDirectory } from '../system/state-directory.js';
import { EVENT_SPOOL_DIR, EventSpoolDrain, SpoolDeviceEvents } from './event-spool.js';

let root: string;
let state: StateDirectory;
let now = Date.parse('2026-12-03T10:00:00Z');
const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'spool-'));
  state = new StateDirectory(join(root, 'state'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('event spool', () => {
  it('events written by a command reach the queue in order, with their own time, once', () => {
    const spool = new SpoolDeviceEvents(state, clock);
    spool.emit('antivirus.scan.started', { scanId: 's1', trigger: 'before-vpn', paths: ['/home'] });
    now += 1000;
    spool.emit('antivirus.scan.progress', { scanId: 's1', filesScanned: 10 });
    const sent: DeviceEvent[] = [];
    const drain = new EventSpoolDrain(state, { emitRecorded: (e) => sent.push(e) }, clock, createMemoryLogger());
    expect(drain.drain()).toBe(2);
    expect(sent.map((e) => [e.type, e.ts])).toEqual([
      ['antivirus.scan.started', '2026-12-03T10:00:00.000Z'],
      ['antivirus.scan.progress', '2026-12-03T10:00:01.000Z'],
    ]);
    expect(drain.drain()).toBe(0);
    expect(readdirSync(state.path(EVENT_SPOOL_DIR))).toEqual([]);
  });

  it('sets aside a file that is not an event, and logs it', () => {
    state.ensure(EVENT_SPOOL_DIR);
    state.writeAtomic(`${EVENT_SPOOL_DIR}/000000000000001-bad.json`, '{"type": 42}');
    const logger = createMemoryLogger();
    const sent: DeviceEvent[] = [];
    const drain = new EventSpoolDrain(state, { emitRecorded: (e) => sent.push(e) }, clock, logger);
    expect(drain.drain()).toBe(0);
    expect(sent).toEqual([]);
    expect(readdirSync(state.path(EVENT_SPOOL_DIR))).toEqual(['.bad-000000000000001-bad.json']);
    expect(logger.events.some((e) => e.msg === 'event spool: not an event; set aside')).toBe(true);
    expect(drain.drain()).toBe(0);
  });
});
