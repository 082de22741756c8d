import { decodePayload, encodePayload } from '@bascule/protocol/runtime';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../logging/logger.js';
import { systemClock } from '../system/clock.js';
import { parseTerminalOpenParams } from '../terminal/terminal-open-params.js';
import { RpcDispatcher, type RpcHandler } from './rpc-dispatcher.js';
import { RpcError } from './rpc-error.js';

const REQ = '01JD00000000000000000000RQ';
const NOW = Date.parse('2026-11-25T12:00:00.000Z');

const openParams = {
  sid: '01JD0000000000000000000001',
  mode: 'exec',
  command: 'uptime',
  pty: false,
  as: 'root',
  size: { cols: 80, rows: 24 },
  requester: { username: 'alice', via: 'ssh' },
  idleTimeoutSeconds: 600,
  maxDurationSeconds: 3600,
};

function request(overrides: Record<string, unknown> = {}) {
  return encodePayload({
    v: 1,
    id: REQ,
    ts: new Date(NOW).toISOString(),
    method: 'terminal.open',
    expiresAt: new Date(NOW + 30_000).toISOString(),
    params: openParams,
    ...overrides,
  });
}

function setup(handler: RpcHandler = async () => undefined) {
  const answers: Array<Record<string, unknown>> = [];
  let n = 0;
  const calls: unknown[] = [];
  const dispatcher = new RpcDispatcher({
    clock: systemClock,
    logger: createMemoryLogger(),
    ids: () => `01JD0000000000000000000I${String(n++).padStart(2, '0')}`,
    respond: async (payload) => {
      answers.push(decodePayload(payload) as Record<string, unknown>);
    },
    handlers: {
      'terminal.open': (params) => {
        calls.push(params);
        return handler(params);
      },
    },
  });
  return { dispatcher, answers, calls };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

describe('RpcDispatcher', () => {
  it('calls the handler and answers ok with the envelope', async () => {
    const { dispatcher, answers, calls } = setup();
    dispatcher.handle(request());
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    expect(answers).toEqual([{ v: 1, id: expect.any(String), ts: '2026-11-25T12:00:00.000Z', reqId: REQ, ok: true }]);
  });

  it('answers expired and does not carry out a request past expiresAt', async () => {
    const { dispatcher, answers, calls } = setup();
    dispatcher.handle(request({ expiresAt: new Date(NOW - 1).toISOString() }));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([]);
    expect(answers[0]).toMatchObject({ reqId: REQ, ok: false, error: { code: 'expired' } });
  });

  it('answers unknown-method', async () => {
    const { dispatcher, answers } = setup();
    dispatcher.handle(request({ method: 'system.reboot' }));
    dispatcher.handle(request({ id: '01JD00000000000000000000R2', method: 'toString' }));
    await vi.advanceTimersByTimeAsync(0);
    expect(answers.map((a) => (a.error as { code: string }).code)).toEqual(['unknown-method', 'unknown-method']);
  });

  it('answers invalid-params naming the field, for the envelope and for the params', async () => {
    const { dispatcher, answers } = setup((params) => Promise.resolve(parseTerminalOpenParams(params)));
    dispatcher.handle(request({ expiresAt: 'tomorrow' }));
    dispatcher.handle(
      request({ id: '01JD00000000000000000000R2', params: { ...openParams, size: { cols: 0, rows: 24 } } }),
    );
    dispatcher.handle(request({ id: '01JD00000000000000000000R3', params: { ...openParams, command: undefined } }));
    await vi.advanceTimersByTimeAsync(0);
    expect(answers.map((a) => a.error)).toEqual([
      { code: 'invalid-params', message: expect.stringContaining('expiresAt') },
      { code: 'invalid-params', message: expect.stringContaining('size.cols: must be at least 1') },
      { code: 'invalid-params', message: expect.stringContaining('command: command is required for exec') },
    ]);
  });

  it("answers the handler's RpcError code, and internal for any other failure, and keeps going", async () => {
    let fail: Error = new RpcError('busy', '4 sessions');
    const { dispatcher, answers } = setup(() => {
      throw fail;
    });
    dispatcher.handle(request());
    await vi.advanceTimersByTimeAsync(0);
    fail = new TypeError('boom');
    dispatcher.handle(request({ id: '01JD00000000000000000000R2' }));
    await vi.advanceTimersByTimeAsync(0);
    expect(answers.map((a) => a.error)).toEqual([
      { code: 'busy', message: '4 sessions' },
      { code: 'internal', message: 'boom' },
    ]);
  });

  it('answers a redelivered request again without carrying it out twice', async () => {
    const { dispatcher, answers, calls } = setup();
    dispatcher.handle(request());
    dispatcher.handle(request());
    await vi.advanceTimersByTimeAsync(0);
    dispatcher.handle(request());
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    expect(answers).toHaveLength(2);
    expect(answers[1]).toEqual(answers[0]);
  });

  it('drops garbage it cannot answer without throwing', () => {
    const { dispatcher, answers } = setup();
    expect(() => dispatcher.handle(Buffer.from('not json'))).not.toThrow();
    expect(() => dispatcher.handle(encodePayload({ id: 'nope' }))).not.toThrow();
    expect(() => dispatcher.handle(encodePayload([1, 2]))).not.toThrow();
    expect(answers).toEqual([]);
  });
});

describe('parseTerminalOpenParams', () => {
  it('accepts valid params and gives the default term', () => {
    expect(parseTerminalOpenParams(openParams)).toEqual({ ...openParams, term: 'xterm-256color' });
  });

  it('names every bad field', () => {
    expect(() =>
      parseTerminalOpenParams({ ...openParams, sid: 'x', as: 'admin', requester: { username: '', via: 'tel' } }),
    ).toThrow(/sid: expected a ULID.*as: must be one of root, user.*requester.username.*requester.via/);
    expect(() => parseTerminalOpenParams({ ...openParams, mode: 'shell' })).toThrow(/command: .*not allowed for shell/);
    expect(() => parseTerminalOpenParams({ ...openParams, term: 'xterm; rm -rf /' })).toThrow(/term:/);
    expect(() => parseTerminalOpenParams(null)).toThrow(/\(root\)/);
  });
});
