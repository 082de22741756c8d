import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logging/logger.js';
import { StateDirectory } from '../system/state-directory.js';
import { Outbox, type OutboxBounds, type OutboxKind, outboxStatsOf } from './outbox.js';

let root: string;
let counter = 0;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'outbox-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function open(bounds: OutboxBounds = { maxMessages: 100, maxBytes: 1_000_000 }) {
  const logger = createMemoryLogger();
  const outbox = new Outbox(new StateDirectory(root), logger, bounds);
  outbox.open();
  return { outbox, logger };
}

function put(outbox: Outbox, kind: OutboxKind, label = kind) {
  const id = `ID${String(++counter).padStart(24, '0')}`;
  outbox.enqueue(kind, { id, label });
  return id;
}

/** What would be delivered, in order: each entry read then acknowledged. */
function drain(outbox: Outbox): string[] {
  const out: string[] = [];
  for (const entry of [...outbox.pending()]) {
    const read = outbox.read(entry);
    if (read) out.push(String(read.message.label));
    outbox.ack(entry);
  }
  return out;
}

describe('Outbox', () => {
  it('delivers in the order enqueued and forgets a message only once acknowledged', () => {
    const { outbox } = open();
    put(outbox, 'health', 'h1');
    put(outbox, 'inventory-full', 'inv');
    put(outbox, 'event', 'e1');
    const [first] = outbox.pending();
    if (!first) throw new Error('empty outbox');
    expect(outbox.read(first)?.message.label).toBe('h1');
    expect(outbox.stats().messages).toBe(3);
    outbox.ack(first);
    outbox.ack(first);
    expect(outbox.stats().messages).toBe(2);
    expect(drain(outbox)).toEqual(['inv', 'e1']);
    expect(outbox.stats()).toEqual({ messages: 0, bytes: 0 });
  });

  it('never holds more files on disk than its bound, even between a write and a drop', () => {
    const dir = new StateDirectory(root);
    let mostFiles = 0;
    const write = dir.writeAtomic.bind(dir);
    dir.writeAtomic = (name, body) => {
      write(name, body);
      mostFiles = Math.max(mostFiles, readdirSync(join(root, 'outbox')).length);
    };
    const outbox = new Outbox(dir, createMemoryLogger(), { maxMessages: 10, maxBytes: 1_000_000 });
    outbox.open();
    for (let i = 0; i < 50; i++) {
      put(outbox, 'health');
      if (i % 7 === 0) put(outbox, 'report');
    }
    expect(mostFiles).toBe(10);
    expect(outbox.pending().filter((e) => e.kind === 'report')).toHaveLength(8);
  });

  it('keeps messages and their order across a restart, and numbers new ones after them', () => {
    const first = open().outbox;
    put(first, 'health', 'before-1');
    put(first, 'report', 'before-2');
    const second = open().outbox;
    put(second, 'health', 'after-1');
    expect(drain(second)).toEqual(['before-1', 'before-2', 'after-1']);
  });

  it('keeps the same message id across a restart, so a re-send is de-duplicated by the hub', () => {
    const first = open().outbox;
    const id = put(first, 'health');
    const second = open().outbox;
    const [entry] = second.pending();
    if (!entry) throw new Error('lost message');
    expect(second.read(entry)?.message.id).toBe(id);
  });

  it('drops the oldest health samples first when over the message bound', () => {
    const { outbox } = open({ maxMessages: 4, maxBytes: 1_000_000 });
    put(outbox, 'health', 'h1');
    put(outbox, 'event', 'e1');
    put(outbox, 'health', 'h2');
    put(outbox, 'report', 'r1');
    put(outbox, 'health', 'h3');
    put(outbox, 'health', 'h4');
    expect(drain(outbox)).toEqual(['e1', 'r1', 'h3', 'h4']);
  });

  it('drops inventories superseded by a newer full inventory once no health sample is left', () => {
    const { outbox } = open({ maxMessages: 3, maxBytes: 1_000_000 });
    put(outbox, 'inventory-full', 'full-1');
    put(outbox, 'inventory-delta', 'delta-1');
    put(outbox, 'event', 'e1');
    put(outbox, 'inventory-full', 'full-2');
    put(outbox, 'inventory-delta', 'delta-2');
    expect(drain(outbox)).toEqual(['e1', 'full-2', 'delta-2']);
  });

  it('never drops reports and events, even over its bounds', () => {
    const { outbox, logger } = open({ maxMessages: 2, maxBytes: 1_000_000 });
    for (let i = 1; i <= 5; i++) put(outbox, i % 2 ? 'event' : 'report', `m${i}`);
    expect(drain(outbox)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(logger.events.some((e) => e.level === 'warn')).toBe(true);
  });

  it('applies the byte bound too', () => {
    const { outbox } = open({ maxMessages: 1_000, maxBytes: 400 });
    for (let i = 0; i < 10; i++) put(outbox, 'health', `h${i}`);
    expect(outbox.stats().bytes).toBeLessThanOrEqual(400);
    expect(outbox.stats().messages).toBeGreaterThan(0);
    expect(drain(outbox).at(-1)).toBe('h9');
  });

  it('moves a corrupt entry aside, logs it, and still delivers the others', () => {
    const first = open().outbox;
    put(first, 'health', 'h1');
    put(first, 'health', 'h2');
    put(first, 'event', 'e1');
    const broken = readdirSync(join(root, 'outbox')).sort()[1];
    if (!broken) throw new Error('missing file');
    writeFileSync(join(root, 'outbox', broken), '{"kind":"health","mess');
    writeFileSync(join(root, 'outbox', 'garbage.txt'), 'x');
    const { outbox, logger } = open();
    expect(drain(outbox)).toEqual(['h1', 'e1']);
    expect(readdirSync(join(root, 'outbox-corrupt')).sort()).toEqual([broken, 'garbage.txt'].sort());
    expect(logger.events.filter((e) => e.level === 'error')).toHaveLength(2);
  });

  it('writes its files 0600 in a 0700 directory and ignores unfinished writes after a crash', () => {
    const { outbox } = open();
    put(outbox, 'health');
    writeFileSync(join(root, 'outbox', '.abc.tmp'), 'half');
    expect(statSync(root).mode & 0o777).toBe(0o700);
    const [file] = readdirSync(join(root, 'outbox'))
      .filter((n) => !n.startsWith('.'))
      .map((n) => statSync(join(root, 'outbox', n)));
    expect((file?.mode ?? 0) & 0o777).toBe(0o600);
    const reopened = open().outbox;
    expect(reopened.stats().messages).toBe(1);
    expect(readdirSync(join(root, 'outbox')).some((n) => n.endsWith('.tmp'))).toBe(false);
  });

  it('reports its size from disk for `status`', () => {
    const { outbox } = open();
    put(outbox, 'health');
    put(outbox, 'event');
    expect(outboxStatsOf(new StateDirectory(root))).toEqual(outbox.stats());
  });
});

/** A state directory whose writes fail with ENOSPC while `full` is set. */
class FullDisk extends StateDirectory {
  full = false;
  override writeAtomic(name: string, data: string | Buffer): void {
    if (this.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    super.writeAtomic(name, data);
  }
}

describe('outbox on a full disk', () => {
  it('keeps new messages in memory, says so once, and goes back to files when space returns', () => {
    const logger = createMemoryLogger();
    const dir = new FullDisk(root);
    const outbox = new Outbox(dir, logger);
    outbox.open();
    put(outbox, 'report', 'on disk');
    dir.full = true;
    put(outbox, 'health', 'in memory 1');
    put(outbox, 'event', 'in memory 2');
    expect(outbox.isDiskFull).toBe(true);
    expect(logger.events.filter((e) => e.msg.includes('the disk is full')).length).toBe(1);
    expect(readdirSync(join(root, 'outbox')).length).toBe(1);
    dir.full = false;
    put(outbox, 'report', 'on disk again');
    expect(outbox.isDiskFull).toBe(false);
    expect(logger.events.some((e) => e.msg.includes('space again'))).toBe(true);
    expect(drain(outbox)).toEqual(['on disk', 'in memory 1', 'in memory 2', 'on disk again']);
    expect(readdirSync(join(root, 'outbox'))).toEqual([]);
  });
});
