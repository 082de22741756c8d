import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TerminalClose, WebTerminalServerMessage } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { SignedIn } from '../auth/auth.service.js';
import type { Role } from '../auth/user.repository.js';
import { Logger } from '../core/logger.js';
import {
  type TerminalClient,
  type TerminalHandle,
  TerminalOpenError,
  type TerminalOpener,
  type TerminalRequest,
} from './terminal.types.js';
import { TerminalWebSocketGateway } from './terminal-websocket.js';

const auth = {
  async authenticate(cookie: string | undefined): Promise<SignedIn | null> {
    const role = cookie as Role;
    if (!['admin', 'helpdesk', 'viewer'].includes(role)) return null;
    return {
      user: { id: `u-${role}`, username: role, role, mustChangePassword: false, createdAt: '', lastLoginAt: null },
      sessionIdHash: 'h',
    };
  },
};

/** The terminal service's side, played by the test: records what the browser asked for. */
class FakeSession implements TerminalHandle {
  readonly id = '01JSESSION0000000000000000';
  readonly deviceId = '01JDEVICE';
  readonly hostname = 'pc-compta-12';
  inputs: string[] = [];
  resizes: [number, number][] = [];
  closes: [string, string][] = [];
  private ended = false;
  constructor(readonly client: TerminalClient) {}
  input(data: Buffer) {
    this.inputs.push(data.toString());
  }
  eof() {}
  resize(cols: number, rows: number) {
    this.resizes.push([cols, rows]);
  }
  close(code: 'client-closed' | 'hub-stopping', message: string) {
    this.closes.push([code, message]);
    this.end({ code, message });
  }
  /** As HubTerminalSession: the client hears `closed` once. */
  end(close: TerminalClose) {
    if (this.ended) return;
    this.ended = true;
    this.client.closed(close);
  }
}

class FakeOpener implements TerminalOpener {
  requests: TerminalRequest[] = [];
  sessions: FakeSession[] = [];
  refusal?: Error;
  /** When set, open() waits for it (the agent asking the desktop user, say). */
  gate?: Promise<void>;
  async open(request: TerminalRequest, client: TerminalClient): Promise<TerminalHandle> {
    this.requests.push(request);
    await this.gate;
    if (this.refusal) throw this.refusal;
    const s = new FakeSession(client);
    this.sessions.push(s);
    return s;
  }
}

/** A browser: collects JSON and binary messages, in order. */
class Browser {
  messages: (WebTerminalServerMessage | Buffer)[] = [];
  closeCode?: number;
  readonly closedPromise: Promise<number>;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary) => {
      this.messages.push(isBinary ? data : (JSON.parse(data.toString()) as WebTerminalServerMessage));
    });
    this.closedPromise = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
  }
  control(type: string) {
    return this.messages.filter((m): m is WebTerminalServerMessage => !Buffer.isBuffer(m) && m.type === type);
  }
  binary() {
    return this.messages.filter(Buffer.isBuffer).map((b) => b.toString());
  }
  send(msg: unknown) {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }
}

const until = async (probe: () => boolean, what: string) => {
  const deadline = Date.now() + 3000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('browser terminal WebSocket', () => {
  let server: http.Server;
  let gateway: TerminalWebSocketGateway;
  let opener: FakeOpener;
  let port: number;
  const logs: string[] = [];
  const sockets: WebSocket[] = [];

  const connect = (opts: { cookie?: string; origin?: string; query?: string } = {}) => {
    const ws = new WebSocket(
      `ws://127.0.0.1:${port}/api/v1/devices/pc-compta-12/terminal${opts.query ?? '?as=root&cols=100&rows=30'}`,
      {
        headers: {
          origin: opts.origin ?? `https://127.0.0.1:${port}`,
          ...(opts.cookie === undefined ? { cookie: 'bascule_session=helpdesk' } : { cookie: opts.cookie }),
        },
      },
    );
    sockets.push(ws);
    return ws;
  };

  /** Connects and waits for `opened`. */
  const open = async (opts: Parameters<typeof connect>[0] = {}) => {
    const b = new Browser(connect(opts));
    await until(() => b.control('opened').length === 1, 'opened');
    return { browser: b, session: opener.sessions.at(-1) as FakeSession };
  };

  /** The HTTP status of a refused upgrade, and its JSON body. */
  const refused = (ws: WebSocket) =>
    new Promise<{ status: number; body: { message: string; code?: string } }>((resolve, reject) => {
      ws.on('open', () => reject(new Error('upgraded')));
      ws.on('error', () => {});
      ws.on('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
    });

  beforeEach(async () => {
    opener = new FakeOpener();
    gateway = new TerminalWebSocketGateway(auth, opener, new Logger((l) => logs.push(l), 'debug'), {
      pingIntervalMs: 60_000,
      stopGraceMs: 500,
      limits: { maxUnackedBytes: 1000, maxBufferedBytes: 1_000_000, maxEarlyInputBytes: 100 },
    });
    server = http.createServer((_req, res) => res.end('plain http'));
    gateway.start(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    for (const ws of sockets.splice(0)) ws.terminate();
    await gateway.stop();
    await new Promise((r) => server.close(r));
  });

  it('refuses before the handshake: no session 401, another origin 403, a viewer 403', async () => {
    expect(await refused(connect({ cookie: '' }))).toMatchObject({ status: 401, body: { message: 'sign in first' } });
    expect(await refused(connect({ origin: 'https://evil.example' }))).toMatchObject({
      status: 403,
      body: { code: 'BAD_ORIGIN' },
    });
    expect(await refused(connect({ cookie: 'bascule_session=viewer' }))).toMatchObject({ status: 403 });
    expect(await refused(connect({ query: '?cols=5000' }))).toMatchObject({ status: 400 });
    expect(opener.requests).toEqual([]);
  });

  it('opens a web shell for the signed-in user with the size and account asked for', async () => {
    const { browser } = await open({ query: '?as=user&cols=132&rows=43' });
    expect(opener.requests[0]).toMatchObject({
      user: { id: 'u-helpdesk', username: 'helpdesk', role: 'helpdesk' },
      deviceRef: 'pc-compta-12',
      via: 'web',
      mode: 'shell',
      pty: true,
      as: 'user',
      size: { cols: 132, rows: 43 },
      clientAddress: '127.0.0.1',
    });
    expect(browser.control('opened')).toEqual([
      { type: 'opened', sid: '01JSESSION0000000000000000', hostname: 'pc-compta-12' },
    ]);
  });

  it('relays keystrokes and resizes, including those sent while the session was opening', async () => {
    let release = () => {};
    opener.gate = new Promise((r) => {
      release = r;
    });
    const b = new Browser(connect());
    await new Promise((r) => b.ws.on('open', r));
    b.ws.send(Buffer.from('ls\r'));
    b.send({ type: 'resize', cols: 90, rows: 20 });
    await until(() => opener.requests.length === 1, 'open requested');
    release();
    await until(() => opener.sessions[0]?.inputs.length === 1, 'early input');
    const s = opener.sessions[0] as FakeSession;
    expect(s.resizes).toEqual([[90, 20]]);
    b.ws.send(Buffer.from('echo é\r'));
    b.send({ type: 'resize', cols: 200, rows: 50 });
    await until(() => s.inputs.length === 2 && s.resizes.length === 2, 'input and resize');
    expect(s.inputs).toEqual(['ls\r', 'echo é\r']);
    expect(s.resizes).toEqual([
      [90, 20],
      [200, 50],
    ]);
  });

  it('releases output to the agent only as the browser acknowledges it, oldest first', async () => {
    const { browser, session } = await open();
    const consumed: string[] = [];
    for (const chunk of ['aaaa', 'bbbbbb', 'cc']) {
      session.client.output('stdout', Buffer.from(chunk), () => consumed.push(chunk));
    }
    await until(() => browser.binary().length === 3, 'output');
    expect(browser.binary()).toEqual(['aaaa', 'bbbbbb', 'cc']);
    expect(consumed).toEqual([]);
    browser.send({ type: 'ack', bytes: 7 }); // all of the first, half of the second
    await until(() => consumed.length === 1, 'first ack');
    browser.send({ type: 'ack', bytes: 3 });
    await until(() => consumed.length === 2, 'second ack');
    expect(consumed).toEqual(['aaaa', 'bbbbbb']);
    browser.send({ type: 'ack', bytes: 2 });
    await until(() => consumed.length === 3, 'third ack');

    // Acknowledging bytes never sent breaks the protocol: the socket and the session close.
    browser.send({ type: 'ack', bytes: 1 });
    expect(await browser.closedPromise).toBe(1008);
    await until(() => session.closes.length === 1, 'session closed');
    expect(session.closes[0]).toEqual(['client-closed', 'the browser sent an ack for more output than was sent']);
  });

  it('gives up on a browser that leaves too much output unacknowledged', async () => {
    const { browser, session } = await open();
    for (let i = 0; i < 5; i++) session.client.output('stdout', Buffer.alloc(300, 65), () => {});
    expect(await browser.closedPromise).toBe(1000);
    expect(session.closes[0]?.[1]).toMatch(/more than 1000 bytes of output waiting/);
    expect(browser.control('closed')[0]).toMatchObject({ code: 'client-closed' });
    expect(browser.binary().length).toBeLessThanOrEqual(4);
  });

  it('tells the browser the exit status and closes the socket when the session ends', async () => {
    const { browser, session } = await open();
    session.client.output('stdout', Buffer.from('bye\r\n'), () => {});
    session.client.exit(3, null);
    session.end({ code: 'exit', message: 'the shell exited with status 3' });
    expect(await browser.closedPromise).toBe(1000);
    expect(browser.messages.slice(1)).toEqual([
      Buffer.from('bye\r\n'),
      { type: 'exit', code: 3, signal: null },
      { type: 'closed', code: 'exit', message: 'the shell exited with status 3' },
    ]);
  });

  it('closes the session when the browser closes the socket', async () => {
    const { browser, session } = await open();
    browser.ws.close(1000);
    await until(() => session.closes.length === 1, 'session closed');
    expect(session.closes[0]).toEqual(['client-closed', 'the browser closed the terminal']);
  });

  it('closes a session that opens after the browser went away', async () => {
    let release = () => {};
    opener.gate = new Promise((r) => {
      release = r;
    });
    const b = new Browser(connect());
    await until(() => opener.requests.length === 1, 'open requested');
    b.ws.close();
    await b.closedPromise;
    release();
    await until(() => opener.sessions[0]?.closes.length === 1, 'late session closed');
    expect(opener.sessions[0]?.closes[0]?.[0]).toBe('client-closed');
  });

  it('sends the refusal with its code and details, then closes', async () => {
    opener.refusal = new TerminalOpenError('device-offline', 'pc-compta-12 is offline', {
      hostname: 'pc-compta-12',
      lastSeenAt: '2026-11-25T09:00:00.000Z',
    });
    const b = new Browser(connect());
    expect(await b.closedPromise).toBe(1000);
    expect(b.messages).toEqual([
      {
        type: 'error',
        code: 'device-offline',
        message: 'pc-compta-12 is offline',
        details: { hostname: 'pc-compta-12', lastSeenAt: '2026-11-25T09:00:00.000Z' },
      },
    ]);
  });

  it('closes on garbage from the browser, without crashing', async () => {
    for (const garbage of ['not json', '{"type":"resize","cols":0,"rows":5}', '{"type":"launch"}', 'x'.repeat(2000)]) {
      const { browser, session } = await open();
      browser.send(garbage);
      expect(await browser.closedPromise, garbage.slice(0, 20)).toBe(1008);
      await until(() => session.closes.length === 1, 'session closed');
      expect(session.closes[0]?.[1]).toMatch(/^the browser sent /);
    }
    // Messages above the size cap are refused by ws itself (1009).
    const { browser } = await open();
    browser.ws.send(Buffer.alloc(200_000));
    expect(await browser.closedPromise).toBe(1009);
  });

  it('stop() ends every session with hub-stopping and closes the sockets', async () => {
    const a = await open();
    const b = await open({ cookie: 'bascule_session=admin' });
    await gateway.stop();
    expect(await a.browser.closedPromise).toBe(1001);
    expect(await b.browser.closedPromise).toBe(1001);
    expect(a.browser.control('closed')).toEqual([
      { type: 'closed', code: 'hub-stopping', message: 'the hub is stopping' },
    ]);
    expect(gateway.activeConnections).toBe(0);
    // The server can close now: no upgraded socket holds it open.
    await new Promise((r) => server.close(r));
    server = http.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
});
