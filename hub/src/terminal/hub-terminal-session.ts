import {
  encodeTerminalFrame,
  TERMINAL_FRAME,
  type TerminalClose,
  type TerminalFrame,
  TerminalFrameError,
  TerminalSeqCounter,
  TerminalSequencer,
  terminalChunks,
} from '@bascule/protocol';
import type { RecordingWriter } from './recording.store.js';
import type { TerminalClient, TerminalHandle } from './terminal.types.js';

export interface SessionEnd {
  close: TerminalClose;
  exitCode: number | null;
  exitSignal: string | null;
  bytesIn: number;
  bytesOut: number;
}

export interface HubTerminalSessionDeps {
  /** Sends one frame on the session's `term/{sid}/in`. */
  send(frame: Buffer): void;
  now(): number;
  /** Called once when the session ends, after the client was told. */
  ended(session: HubTerminalSession, end: SessionEnd): void;
}

/**
 * The hub's side of one terminal session: relays the device's frames to the helpdesk's client and
 * back, acknowledges output only once the client has taken it (the agent's flow control), and records
 * the output. Knows nothing of MQTT, SSH or WebSockets.
 */
export class HubTerminalSession implements TerminalHandle {
  private readonly seq = new TerminalSeqCounter();
  private readonly sequencer = new TerminalSequencer();
  private consumed = 0;
  private ackedUpTo = 0;
  private ackScheduled = false;
  private bytesIn = 0;
  private bytesOut = 0;
  private exitCode: number | null = null;
  private exitSignal: string | null = null;
  private done = false;

  constructor(
    readonly id: string,
    readonly deviceId: string,
    readonly hostname: string,
    private readonly client: TerminalClient,
    private readonly recorder: RecordingWriter | undefined,
    private readonly deps: HubTerminalSessionDeps,
  ) {}

  get ended(): boolean {
    return this.done;
  }

  // ---- from the helpdesk's side

  input(data: Buffer): void {
    if (this.done || data.length === 0) return;
    this.bytesIn += data.length;
    for (const chunk of terminalChunks(data)) this.sendFrame({ type: TERMINAL_FRAME.data, seq: 0, data: chunk });
  }

  eof(): void {
    if (!this.done) this.sendFrame({ type: TERMINAL_FRAME.eof, seq: 0 });
  }

  resize(cols: number, rows: number): void {
    if (this.done) return;
    this.sendFrame({ type: TERMINAL_FRAME.resize, seq: 0, cols, rows });
    this.recorder?.resize(cols, rows, this.deps.now());
  }

  close(code: 'client-closed' | 'hub-stopping' | 'device-offline', message: string): void {
    if (this.done) return;
    if (code !== 'device-offline') {
      this.sendFrame({ type: TERMINAL_FRAME.close, seq: 0, close: { code, message } });
    }
    this.finish({ code, message });
  }

  // ---- from the device

  /** One frame from the device's `term/{sid}/out`. Throws nothing: bad frames end the session. */
  onFrame(raw: Buffer, decode: (payload: Buffer) => TerminalFrame): void {
    if (this.done) return;
    let ready: TerminalFrame[];
    try {
      ready = this.sequencer.accept(decode(raw));
    } catch (err) {
      if (!(err instanceof TerminalFrameError)) throw err;
      const broken = err.message.includes('lost');
      const close: TerminalClose = {
        code: broken ? 'stream-broken' : 'protocol-error',
        message: `the device sent ${broken ? 'an incomplete stream' : 'a malformed frame'}: ${err.message}`,
      };
      this.sendFrame({ type: TERMINAL_FRAME.close, seq: 0, close });
      this.finish(close);
      return;
    }
    for (const frame of ready) this.handle(frame);
  }

  private handle(frame: TerminalFrame): void {
    if (this.done) return;
    switch (frame.type) {
      case TERMINAL_FRAME.data:
      case TERMINAL_FRAME.stderr: {
        const { data } = frame;
        this.bytesOut += data.length;
        this.recorder?.output(data, this.deps.now());
        let taken = false;
        this.client.output(frame.type === TERMINAL_FRAME.data ? 'stdout' : 'stderr', data, () => {
          if (taken) return;
          taken = true;
          this.consumed += data.length;
          this.scheduleAck();
        });
        return;
      }
      case TERMINAL_FRAME.exit:
        this.exitCode = frame.code;
        this.exitSignal = frame.signal;
        this.client.exit(frame.code >= 0 ? frame.code : null, frame.signal);
        return;
      case TERMINAL_FRAME.close:
        this.finish(frame.close);
        return;
      default: {
        // ack, resize and eof only flow towards the device.
        const close: TerminalClose = { code: 'protocol-error', message: `unexpected frame type ${frame.type}` };
        this.sendFrame({ type: TERMINAL_FRAME.close, seq: 0, close });
        this.finish(close);
      }
    }
  }

  private scheduleAck(): void {
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    // Coalesced: one ack for everything the client took in this turn of the event loop.
    setImmediate(() => {
      this.ackScheduled = false;
      if (this.done || this.consumed === this.ackedUpTo) return;
      this.ackedUpTo = this.consumed;
      this.sendFrame({ type: TERMINAL_FRAME.ack, seq: 0, consumed: this.consumed });
    });
  }

  private sendFrame(frame: TerminalFrame): void {
    this.deps.send(encodeTerminalFrame({ ...frame, seq: this.seq.next() }));
  }

  private finish(close: TerminalClose): void {
    if (this.done) return;
    this.done = true;
    this.recorder?.close(this.deps.now());
    this.client.closed(close);
    this.deps.ended(this, {
      close,
      exitCode: this.exitCode,
      exitSignal: this.exitSignal,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
    });
  }
}
