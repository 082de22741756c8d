import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type TerminalEnd, TerminalSocket, terminalUrl } from './terminal-socket.js';

/** Just enough of a browser WebSocket. */
class FakeSocket {
  readyState = 1;
  binaryType = 'blob';
  sent: unknown[] = [];
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  send(data: unknown) {
    this.sent.push(typeof data === 'string' ? JSON.parse(data) : Array.from(data as Uint8Array));
  }
  close(code: number) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  hub(msg: object | Uint8Array) {
    this.onmessage?.({ data: msg instanceof Uint8Array ? msg.buffer : JSON.stringify(msg) });
  }
}

describe('terminal socket (browser side)', () => {
  let fake: FakeSocket;
  let written: (() => void)[];
  let ends: TerminalEnd[];
  let events: string[];
  let socket: TerminalSocket;

  beforeEach(() => {
    vi.useFakeTimers();
    fake = new FakeSocket();
    written = [];
    ends = [];
    events = [];
    socket = new TerminalSocket(
      'wss://hub/x',
      {
        output: (data, done) => {
          events.push(`out ${data.length}`);
          written.push(done);
        },
        opened: (sid, hostname) => events.push(`opened ${sid} ${hostname}`),
        exit: (code, signal) => events.push(`exit ${code} ${signal}`),
        ended: (end) => ends.push(end),
      },
      () => fake as unknown as WebSocket,
    );
  });
  afterEach(() => vi.useRealTimers());

  it('builds the wss URL of the same origin', () => {
    expect(terminalUrl({ protocol: 'https:', host: 'hub:8443' }, '01J X', { as: 'user', cols: 120, rows: 40 })).toBe(
      'wss://hub:8443/api/v1/devices/01J%20X/terminal?as=user&cols=120&rows=40',
    );
  });

  it('acknowledges output only once written, several writes in one ack', () => {
    expect(fake.binaryType).toBe('arraybuffer');
    fake.hub({ type: 'opened', sid: 'S1', hostname: 'pc-compta-12' });
    fake.hub(new Uint8Array(100));
    fake.hub(new Uint8Array(50));
    expect(events).toEqual(['opened S1 pc-compta-12', 'out 100', 'out 50']);
    vi.advanceTimersByTime(100);
    expect(fake.sent).toEqual([]); // nothing written yet: nothing acknowledged
    written[0]?.();
    written[1]?.();
    written[1]?.(); // a callback called twice counts once: the hub would close on an ack for bytes never sent
    vi.advanceTimersByTime(10);
    expect(fake.sent).toEqual([{ type: 'ack', bytes: 150 }]);
  });

  it('acknowledges at once when much is waiting', () => {
    fake.hub(new Uint8Array(70_000));
    written[0]?.();
    expect(fake.sent).toEqual([{ type: 'ack', bytes: 70_000 }]);
  });

  it('sends keystrokes as UTF-8 bytes and resizes as JSON', () => {
    socket.input('é\r');
    socket.inputBinary('\x1b[M !!');
    socket.resize(132, 43);
    socket.resize(5000, 0);
    expect(fake.sent).toEqual([[0xc3, 0xa9, 13], [27, 91, 77, 32, 33, 33], { type: 'resize', cols: 132, rows: 43 }]);
  });

  it('reports the exit status, then the end once (not again when the socket closes)', () => {
    fake.hub({ type: 'opened', sid: 'S1', hostname: 'h' });
    fake.hub({ type: 'exit', code: 0, signal: null });
    fake.hub({ type: 'closed', code: 'exit', message: 'bye' });
    fake.close(1000);
    expect(events.at(-1)).toBe('exit 0 null');
    expect(ends).toEqual([{ kind: 'closed', code: 'exit', message: 'bye' }]);
  });

  it('reports a refusal with its details, and a socket lost before opening', () => {
    fake.hub({ type: 'error', code: 'device-offline', message: 'x', details: { hostname: 'h', lastSeenAt: '' } });
    expect(ends).toEqual([
      { kind: 'error', code: 'device-offline', message: 'x', details: { hostname: 'h', lastSeenAt: '' } },
    ]);
    const other = new FakeSocket();
    const lost: TerminalEnd[] = [];
    new TerminalSocket(
      'u',
      { output: () => {}, opened: () => {}, exit: () => {}, ended: (e) => lost.push(e) },
      () => other as unknown as WebSocket,
    );
    other.close(1006);
    expect(lost).toEqual([{ kind: 'lost', wasOpen: false, closeCode: 1006 }]);
  });
});
