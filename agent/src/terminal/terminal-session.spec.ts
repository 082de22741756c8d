import type { TerminalFrame } from '@bascule/protocol';
import {
  decodeTerminalFrame,
  encodeTerminalFrame,
  TERMINAL_FRAME,
  TERMINAL_HIGH_WATER,
  TERMINAL_MAX_CHUNK,
} from '@bascule/protocol/runtime';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../logging/logger.js';
import { systemClock } from '../system/clock.js';
import { FakeTerminalProcess } from './fake-terminal-host.js';
import { TerminalSession } from './terminal-session.js';

const SID = '01JD0000000000000000000000';

function setup(overrides: { idle?: number; max?: number } = {}) {
  const published: TerminalFrame[] = [];
  const closes: string[] = [];
  const process = new FakeTerminalProcess();
  const logger = createMemoryLogger();
  const session = new TerminalSession(
    {
      sid: SID,
      mode: 'shell',
      pty: true,
      as: 'root',
      account: 'root',
      requester: { username: 'alice', via: 'ssh' },
      idleTimeoutSeconds: overrides.idle ?? 600,
      maxDurationSeconds: overrides.max ?? 3600,
    },
    process,
    {
      clock: systemClock,
      logger,
      publish: (frame) => published.push(decodeTerminalFrame(frame)),
      onClosed: (_s, close) => closes.push(close.code),
      killGraceMs: 5_000,
    },
  );
  session.start();
  return { session, process, published, closes, logger };
}

const frame = (f: TerminalFrame) => encodeTerminalFrame(f);
const data = (seq: number, text: string) => frame({ type: TERMINAL_FRAME.data, seq, data: Buffer.from(text) });
const ack = (seq: number, consumed: number) => frame({ type: TERMINAL_FRAME.ack, seq, consumed });
const typed = (p: FakeTerminalProcess) => Buffer.concat(p.written).toString();

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('TerminalSession input', () => {
  it('writes input in sequence order, drops duplicates and puts early frames back in order', () => {
    const { session, process } = setup();
    session.handleFrame(data(1, 'a'));
    session.handleFrame(data(1, 'a'));
    session.handleFrame(data(3, 'c'));
    expect(typed(process)).toBe('a');
    session.handleFrame(data(2, 'b'));
    session.handleFrame(data(3, 'c'));
    session.handleFrame(data(4, 'd'));
    expect(typed(process)).toBe('abcd');
    expect(session.isClosed).toBe(false);
  });

  it('closes with stream-broken when a frame is lost, and kills the process', async () => {
    const { session, process, published, closes } = setup();
    session.handleFrame(data(1, 'a'));
    session.handleFrame(data(100, 'z'));
    expect(closes).toEqual(['stream-broken']);
    expect(published.at(-1)).toMatchObject({ type: TERMINAL_FRAME.close, close: { code: 'stream-broken' } });
    expect(process.signals).toEqual(['SIGHUP']);
    await session.done;
    expect(process.disposed).toBe(true);
  });

  it('closes with protocol-error on a frame it cannot read, without throwing', () => {
    const { session, closes } = setup();
    expect(() => session.handleFrame(Buffer.from([0xff, 0, 0, 0, 1, 9]))).not.toThrow();
    expect(() => session.handleFrame(Buffer.from([1, 2]))).not.toThrow();
    expect(closes).toEqual(['protocol-error']);
  });

  it('applies resize and eof, and a close from the hub without answering it', async () => {
    const { session, process, published, closes } = setup();
    session.handleFrame(frame({ type: TERMINAL_FRAME.resize, seq: 1, cols: 132, rows: 43 }));
    session.handleFrame(frame({ type: TERMINAL_FRAME.eof, seq: 2 }));
    expect(process.resizes).toEqual([[132, 43]]);
    expect(process.inputEnded).toBe(true);
    session.handleFrame(
      frame({ type: TERMINAL_FRAME.close, seq: 3, close: { code: 'client-closed', message: 'bye' } }),
    );
    expect(closes).toEqual(['client-closed']);
    expect(published.filter((f) => f.type === TERMINAL_FRAME.close)).toEqual([]);
    await session.done;
  });
});

describe('TerminalSession output and flow control', () => {
  it('numbers output frames from 1 and splits large writes into chunks', () => {
    const { process, published } = setup();
    process.emit('hello');
    process.emit(Buffer.alloc(TERMINAL_MAX_CHUNK + 10, 0x41));
    process.emit('oops', 'stderr');
    expect(published.map((f) => [f.type, f.seq])).toEqual([
      [TERMINAL_FRAME.data, 1],
      [TERMINAL_FRAME.data, 2],
      [TERMINAL_FRAME.data, 3],
      [TERMINAL_FRAME.stderr, 4],
    ]);
    expect(published.map((f) => ('data' in f ? f.data.length : 0))).toEqual([5, TERMINAL_MAX_CHUNK, 10, 4]);
  });

  it('pauses the process above the high-water mark and resumes below the low one', () => {
    const { session, process } = setup();
    const chunk = Buffer.alloc(64 * 1024);
    let sent = 0;
    while (sent <= TERMINAL_HIGH_WATER) {
      expect(process.paused).toBe(false);
      process.emit(chunk);
      sent += chunk.length;
    }
    expect(process.paused).toBe(true);
    // Acknowledging down to 256 KiB unacknowledged is not enough…
    session.handleFrame(ack(1, sent - 256 * 1024));
    expect(process.paused).toBe(true);
    // …below 128 KiB it resumes.
    session.handleFrame(ack(2, sent - 64 * 1024));
    expect(process.paused).toBe(false);
    expect(session.isClosed).toBe(false);
  });
});

describe('TerminalSession ending', () => {
  it('sends exit then close {exit} when the process exits', async () => {
    const { session, process, published, closes } = setup();
    process.emit('bye\n');
    process.exit(3);
    expect(published.map((f) => f.type)).toEqual([TERMINAL_FRAME.data, TERMINAL_FRAME.exit, TERMINAL_FRAME.close]);
    expect(published[1]).toMatchObject({ seq: 2, code: 3, signal: null });
    expect(published[2]).toMatchObject({ seq: 3, close: { code: 'exit', message: 'exited with status 3' } });
    expect(closes).toEqual(['exit']);
    await session.done;
    expect(session.stats).toMatchObject({ bytesOut: 4, exitCode: 3 });
    // Leftovers of the process group get a hang-up, as after a real terminal closes.
    expect(process.signals).toEqual(['SIGHUP']);
  });

  it('reports a signal as exit code -1 with its name', () => {
    const { process, published } = setup();
    process.exit(null, 'SIGTERM');
    expect(published[0]).toMatchObject({ type: TERMINAL_FRAME.exit, code: -1, signal: 'SIGTERM' });
  });

  it('closes with idle-timeout after no input and no output, not before', async () => {
    const { session, process, closes } = setup({ idle: 60 });
    await vi.advanceTimersByTimeAsync(50_000);
    process.emit('tick');
    await vi.advanceTimersByTimeAsync(50_000);
    session.handleFrame(data(1, 'x'));
    await vi.advanceTimersByTimeAsync(59_000);
    expect(closes).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(closes).toEqual(['idle-timeout']);
    await session.done;
  });

  it('closes with max-duration even while busy', async () => {
    const { session, process, closes } = setup({ idle: 60, max: 120 });
    for (let i = 0; i < 12; i++) {
      await vi.advanceTimersByTimeAsync(10_000);
      process.emit('busy');
    }
    expect(closes).toEqual(['max-duration']);
    await session.done;
  });

  it('SIGKILLs a process group that ignores the hang-up after the grace period', async () => {
    const { session, process } = setup();
    process.diesOnHangup = false;
    session.close('client-closed', 'bye', { sendFrame: false });
    await vi.advanceTimersByTimeAsync(4_900);
    expect(process.signals).toEqual(['SIGHUP']);
    await vi.advanceTimersByTimeAsync(200);
    expect(process.signals).toEqual(['SIGHUP', 'SIGKILL']);
    await session.done;
    expect(process.hasExited).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never logs terminal content', () => {
    const { session, process, logger } = setup();
    session.handleFrame(data(1, 'secret-password-typed'));
    process.emit('secret-output');
    session.handleFrame(data(5, 'x'));
    session.handleFrame(data(200, 'y'));
    expect(JSON.stringify(logger.events)).not.toMatch(/secret/);
  });
});
