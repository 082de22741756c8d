import {
  type TerminalClose,
  WEB_TERMINAL_MAX_CONTROL,
  type WebTerminalServerMessage,
  webTerminalClientMessageSchema,
} from '@bascule/protocol';
import { type RawData, WebSocket } from 'ws';
import type { Logger } from '../core/logger.js';
import {
  type TerminalClient,
  type TerminalHandle,
  TerminalOpenError,
  type TerminalOpener,
  type TerminalRequest,
} from './terminal.types.js';

export interface WebTerminalLimits {
  /**
   * Output held for one browser and not yet acknowledged. The agent stops at its high-water mark
   * (512 KiB), so this is only reached by an agent that ignores flow control.
   */
  maxUnackedBytes: number;
  /** Bytes queued in the socket (`ws.bufferedAmount`) past which the browser is declared stuck. */
  maxBufferedBytes: number;
  /** Keystrokes typed before the session opened, kept to be sent once it has. */
  maxEarlyInputBytes: number;
}

export const DEFAULT_WEB_TERMINAL_LIMITS: WebTerminalLimits = {
  maxUnackedBytes: 4 * 1024 * 1024,
  maxBufferedBytes: 4 * 1024 * 1024,
  maxEarlyInputBytes: 64 * 1024,
};

/**
 * One browser terminal: a WebSocket on one side, a terminal session on the other. Output goes out as
 * binary messages and is released to the agent (`consumed`) only when the browser acknowledges that
 * xterm.js wrote it, in order. Either side ending ends the other.
 */
export class WebTerminalConnection implements TerminalClient {
  private handle?: TerminalHandle;
  private opened = false;
  private sessionEnded = false;
  private socketGone = false;
  /** Why the hub closed the socket, for the audit trail (undefined: the browser closed it). */
  private closeReason?: string;
  private readonly unacked: { bytes: number; consumed: () => void }[] = [];
  private unackedBytes = 0;
  private credit = 0;
  private held: Buffer[] = [];
  private earlyInput: Buffer[] = [];
  private earlyInputBytes = 0;
  private pendingResize?: { cols: number; rows: number };
  /** Set by a pong, cleared by each ping: a socket that stays silent through a ping round is dead. */
  alive = true;

  constructor(
    private readonly ws: WebSocket,
    private readonly request: TerminalRequest,
    private readonly logger: Logger,
    private readonly limits: WebTerminalLimits = DEFAULT_WEB_TERMINAL_LIMITS,
  ) {}

  /** Wires the socket and asks for the session; resolves once it is open or refused (never rejects). */
  async start(terminals: TerminalOpener): Promise<void> {
    this.ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    this.ws.on('close', () => this.onSocketClosed());
    this.ws.on('pong', () => {
      this.alive = true;
    });
    this.ws.on('error', (err) => this.logger.info('browser terminal socket error', { error: err }));
    let handle: TerminalHandle;
    try {
      handle = await terminals.open(this.request, this);
    } catch (err) {
      this.sessionEnded = true;
      if (err instanceof TerminalOpenError) {
        this.send({ type: 'error', code: err.code, message: err.message, details: err.details });
        this.closeSocket(1000, 'refused');
      } else {
        this.logger.error('browser terminal could not be opened', { error: err as Error });
        this.send({ type: 'error', code: 'internal', message: 'the hub failed to open the session', details: {} });
        this.closeSocket(1011, 'internal error');
      }
      return;
    }
    this.handle = handle;
    if (this.socketGone) {
      handle.close('client-closed', 'the browser went away before the session opened');
      return;
    }
    if (this.sessionEnded) return;
    this.opened = true;
    this.send({ type: 'opened', sid: handle.id, hostname: handle.hostname });
    this.flushHeld();
    if (this.pendingResize) handle.resize(this.pendingResize.cols, this.pendingResize.rows);
    for (const chunk of this.earlyInput) handle.input(chunk);
    this.earlyInput = [];
  }

  /** The hub is stopping: the session ends and the browser is told why. */
  shutdown(): void {
    if (this.handle && !this.sessionEnded) {
      this.handle.close('hub-stopping', 'the hub is stopping');
      return;
    }
    this.closeSocket(1001, 'hub stopping');
  }

  /** Forces the socket shut (no close handshake). */
  terminate(): void {
    this.ws.terminate();
  }

  ping(): void {
    if (!this.alive) {
      this.closeReason = 'the browser stopped answering pings';
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  // ---- TerminalClient: from the session

  output(_stream: 'stdout' | 'stderr', data: Buffer, consumed: () => void): void {
    if (this.socketGone || this.sessionEnded) return;
    this.unacked.push({ bytes: data.length, consumed });
    this.unackedBytes += data.length;
    if (this.unackedBytes > this.limits.maxUnackedBytes) {
      this.abort(`more than ${this.limits.maxUnackedBytes} bytes of output waiting for the browser`);
      return;
    }
    if (this.opened) this.sendBinary(data);
    else this.held.push(data);
  }

  exit(code: number | null, signal: string | null): void {
    this.send({ type: 'exit', code, signal });
  }

  closed(close: TerminalClose): void {
    if (this.sessionEnded) return;
    this.sessionEnded = true;
    this.flushHeld();
    this.send({ type: 'closed', code: close.code, message: close.message });
    this.closeSocket(close.code === 'hub-stopping' ? 1001 : 1000, close.code);
  }

  // ---- from the browser

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.sessionEnded) return;
    const buf = toBuffer(data);
    if (isBinary) {
      if (this.opened) {
        this.handle?.input(buf);
        return;
      }
      this.earlyInputBytes += buf.length;
      if (this.earlyInputBytes > this.limits.maxEarlyInputBytes) {
        this.protocolError('too much input before the session opened');
        return;
      }
      this.earlyInput.push(buf);
      return;
    }
    if (buf.length > WEB_TERMINAL_MAX_CONTROL) {
      this.protocolError(`a control message longer than ${WEB_TERMINAL_MAX_CONTROL} bytes`);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(buf.toString('utf8'));
    } catch {
      this.protocolError('a text message that is not JSON');
      return;
    }
    const msg = webTerminalClientMessageSchema.safeParse(parsed);
    if (!msg.success) {
      this.protocolError('an unknown or malformed control message');
      return;
    }
    switch (msg.data.type) {
      case 'resize':
        if (this.opened) this.handle?.resize(msg.data.cols, msg.data.rows);
        else this.pendingResize = { cols: msg.data.cols, rows: msg.data.rows };
        return;
      case 'ack':
        this.acknowledge(msg.data.bytes);
        return;
    }
  }

  /** Releases output callbacks, oldest first, as the browser's acks cover them. */
  private acknowledge(bytes: number): void {
    this.credit += bytes;
    if (this.credit > this.unackedBytes) {
      this.protocolError('an ack for more output than was sent');
      return;
    }
    for (let head = this.unacked[0]; head && head.bytes <= this.credit; head = this.unacked[0]) {
      this.unacked.shift();
      this.credit -= head.bytes;
      this.unackedBytes -= head.bytes;
      head.consumed();
    }
  }

  private onSocketClosed(): void {
    if (this.socketGone) return;
    this.socketGone = true;
    this.held = [];
    this.earlyInput = [];
    this.handle?.close('client-closed', this.closeReason ?? 'the browser closed the terminal');
  }

  // ---- helpers

  private protocolError(message: string): void {
    this.logger.info('browser terminal protocol error; closing', { sid: this.handle?.id, reason: message });
    this.closeReason = `the browser sent ${message}`;
    this.closeSocket(1008, 'protocol error');
  }

  /** The hub gives up on this browser: the session ends, the browser is told. */
  private abort(message: string): void {
    this.logger.warn('browser terminal aborted', { sid: this.handle?.id, reason: message });
    this.closeReason = message;
    if (this.handle) this.handle.close('client-closed', message);
    else this.closeSocket(1008, 'too much output');
  }

  private flushHeld(): void {
    const held = this.held;
    this.held = [];
    for (const chunk of held) this.sendBinary(chunk);
  }

  private sendBinary(data: Buffer): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(data, { binary: true });
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.abort(`the browser is not reading (${this.ws.bufferedAmount} bytes queued)`);
    }
  }

  private send(msg: WebTerminalServerMessage): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  private closeSocket(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, reason);
    }
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
