import type { TerminalClose, TerminalCloseCode, TerminalFrame } from '@bascule/protocol';
import {
  decodeTerminalFrame,
  encodeTerminalFrame,
  TERMINAL_FRAME,
  TERMINAL_HIGH_WATER,
  TERMINAL_LOW_WATER,
  TerminalFrameError,
  TerminalSeqCounter,
  TerminalSequencer,
  terminalChunks,
} from '@bascule/protocol/runtime';
import type { Logger } from '../logging/logger.js';
import type { Clock, Timer } from '../system/clock.js';
import type { TerminalProcess } from '../system/terminal-process.js';

/** What the audit trail and the notifications need to know about a session. */
export interface TerminalSessionInfo {
  sid: string;
  mode: 'shell' | 'exec';
  pty: boolean;
  as: 'root' | 'user';
  /** The account the process runs as. */
  account: string;
  requester: { username: string; via: 'ssh' | 'web' };
  idleTimeoutSeconds: number;
  maxDurationSeconds: number;
}

/** Counters kept for the audit trail; never any content. */
export interface TerminalSessionStats {
  bytesIn: number;
  bytesOut: number;
  exitCode: number | null;
  exitSignal: string | null;
  startedAt: number;
}

export interface TerminalSessionDeps {
  clock: Clock;
  logger: Logger;
  /** Publishes one encoded frame on `term/{sid}/out` (QoS 0; dropped when offline). */
  publish(frame: Buffer): void;
  /** Called once, when the session ends (before its process is necessarily reaped). */
  onClosed(session: TerminalSession, close: TerminalClose): void;
  /** Between SIGHUP and SIGKILL of the process group. */
  killGraceMs: number;
}

/**
 * One remote terminal: relays frames between `term/{sid}/in|out` and a process, with sequence numbers
 * both ways, flow control on unacknowledged output, idle and maximum-duration timeouts. However it
 * ends, its process group gets SIGHUP, then SIGKILL if the process is still there after the grace.
 */
export class TerminalSession {
  private readonly inbound = new TerminalSequencer();
  private readonly outbound = new TerminalSeqCounter();
  private sent = 0;
  private acked = 0;
  private paused = false;
  private lastActivity: number;
  private idleTimer: Timer | undefined;
  private maxTimer: Timer | undefined;
  private killTimer: Timer | undefined;
  private closed: TerminalClose | undefined;
  private exited = false;
  private hungUp = false;
  private reaped = false;
  private resolveDone!: () => void;
  /** Resolves once the process has exited (or was killed) and its descriptors are released. */
  readonly done: Promise<void>;
  readonly stats: TerminalSessionStats;

  constructor(
    readonly info: TerminalSessionInfo,
    private readonly process: TerminalProcess,
    private readonly deps: TerminalSessionDeps,
  ) {
    this.lastActivity = deps.clock.now();
    this.stats = { bytesIn: 0, bytesOut: 0, exitCode: null, exitSignal: null, startedAt: deps.clock.now() };
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  get sid(): string {
    return this.info.sid;
  }

  get isClosed(): boolean {
    return this.closed !== undefined;
  }

  /** True while output is held back waiting for the hub's acknowledgements. */
  get isPaused(): boolean {
    return this.paused;
  }

  start(): void {
    this.process.onOutput((data) => this.output(TERMINAL_FRAME.data, data));
    this.process.onErrorOutput((data) => this.output(TERMINAL_FRAME.stderr, data));
    this.process.onExit((code, signal) => this.exit(code, signal));
    this.armIdle(this.info.idleTimeoutSeconds * 1000);
    this.maxTimer = this.deps.clock.setTimeout(
      () => this.close('max-duration', `session longer than ${this.info.maxDurationSeconds} s`),
      this.info.maxDurationSeconds * 1000,
    );
  }

  /** A frame from `term/{sid}/in`. Never throws: a bad frame ends the session with a reason. */
  handleFrame(payload: Buffer): void {
    if (this.closed) return;
    let frame: TerminalFrame;
    try {
      frame = decodeTerminalFrame(payload);
    } catch (err) {
      if (!(err instanceof TerminalFrameError)) throw err;
      this.deps.logger.warn('terminal: unreadable input frame; closing the session', {
        sid: this.sid,
        bytes: payload.length,
        error: err.message,
      });
      this.close('protocol-error', `unreadable frame: ${err.message}`);
      return;
    }
    if (frame.type === TERMINAL_FRAME.close) {
      // Not held behind a lost frame: the hub has forgotten the session already.
      this.apply(frame);
      return;
    }
    let frames: TerminalFrame[];
    try {
      frames = this.inbound.accept(frame);
    } catch (err) {
      if (!(err instanceof TerminalFrameError)) throw err;
      this.deps.logger.warn('terminal: input frame lost; closing the session', { sid: this.sid, error: err.message });
      this.close('stream-broken', err.message);
      return;
    }
    for (const frame of frames) {
      if (this.closed) return;
      this.apply(frame);
    }
  }

  /**
   * Ends the session. `sendFrame`: tell the hub (not when the hub itself closed it). Idempotent.
   * `graceMs` overrides the delay before SIGKILL (shorter when the agent stops).
   */
  close(code: TerminalCloseCode, message: string, options: { sendFrame?: boolean; graceMs?: number } = {}): void {
    if (this.closed) return;
    const close = { code, message };
    this.closed = close;
    this.clearTimers();
    if (options.sendFrame ?? true) this.send({ type: TERMINAL_FRAME.close, seq: this.outbound.next(), close });
    if (this.exited) {
      this.reap();
    } else {
      // A shell under a pty gets SIGHUP from a real hang-up too; what ignores it gets SIGKILL later.
      this.signal('SIGHUP');
      if (this.paused) this.process.resume();
      this.killTimer = this.deps.clock.setTimeout(() => {
        this.killTimer = undefined;
        this.signal('SIGKILL');
        if (this.exited) return this.reap();
        // The exit event normally follows; if it never comes, do not keep the session forever.
        this.killTimer = this.deps.clock.setTimeout(() => this.reap(), 2_000);
      }, options.graceMs ?? this.deps.killGraceMs);
    }
    this.deps.onClosed(this, close);
  }

  private apply(frame: TerminalFrame): void {
    switch (frame.type) {
      case TERMINAL_FRAME.data:
        this.stats.bytesIn += frame.data.length;
        this.touch();
        this.process.write(frame.data);
        return;
      case TERMINAL_FRAME.ack:
        this.acked = Math.min(Math.max(this.acked, frame.consumed), this.sent);
        if (this.paused && this.sent - this.acked < TERMINAL_LOW_WATER) {
          this.paused = false;
          this.process.resume();
        }
        return;
      case TERMINAL_FRAME.resize:
        this.touch();
        this.process.resize(frame.cols, frame.rows);
        return;
      case TERMINAL_FRAME.eof:
        this.touch();
        this.process.endInput();
        return;
      case TERMINAL_FRAME.close:
        this.deps.logger.debug('terminal: closed by the hub', { sid: this.sid, code: frame.close.code });
        this.close(frame.close.code, frame.close.message, { sendFrame: false });
        return;
      default:
        this.deps.logger.warn('terminal: frame type not expected from the hub; ignored', {
          sid: this.sid,
          type: frame.type,
        });
    }
  }

  private output(type: typeof TERMINAL_FRAME.data | typeof TERMINAL_FRAME.stderr, data: Buffer): void {
    if (this.closed) return;
    this.touch();
    for (const chunk of terminalChunks(data)) {
      this.send({ type, seq: this.outbound.next(), data: chunk });
      this.sent += chunk.length;
      this.stats.bytesOut += chunk.length;
    }
    if (!this.paused && this.sent - this.acked > TERMINAL_HIGH_WATER) {
      this.paused = true;
      this.process.pause();
    }
  }

  private exit(code: number | null, signal: string | null): void {
    this.exited = true;
    this.stats.exitCode = code;
    this.stats.exitSignal = signal;
    if (this.closed) {
      // Killed by us: done once nothing of its group is left, or at SIGKILL time if something is.
      if (this.killTimer === undefined || !this.process.signalGroup(0)) this.reap();
      return;
    }
    this.send({ type: TERMINAL_FRAME.exit, seq: this.outbound.next(), code: code ?? -1, signal });
    const message = signal ? `killed by ${signal}` : `exited with status ${code}`;
    this.close('exit', message);
  }

  /** The process is gone: leftovers of its group get the hang-up a closing terminal would give them. */
  private reap(): void {
    if (this.reaped) return;
    this.reaped = true;
    if (this.killTimer !== undefined) this.deps.clock.clearTimeout(this.killTimer);
    this.killTimer = undefined;
    if (!this.hungUp) this.signal('SIGHUP');
    this.process.dispose();
    this.resolveDone();
  }

  private signal(signal: NodeJS.Signals | 0): void {
    if (signal === 'SIGHUP') this.hungUp = true;
    try {
      this.process.signalGroup(signal);
    } catch (err) {
      this.deps.logger.error('terminal: cannot signal the process group', {
        sid: this.sid,
        pid: this.process.pid,
        signal,
        error: err as Error,
      });
    }
  }

  private send(frame: TerminalFrame): void {
    this.deps.publish(encodeTerminalFrame(frame));
  }

  private touch(): void {
    this.lastActivity = this.deps.clock.now();
  }

  /** One timer for the idle timeout, re-armed for what is left rather than on every keystroke. */
  private armIdle(ms: number): void {
    this.idleTimer = this.deps.clock.setTimeout(() => {
      this.idleTimer = undefined;
      if (this.closed) return;
      const idleFor = this.deps.clock.now() - this.lastActivity;
      const limit = this.info.idleTimeoutSeconds * 1000;
      if (idleFor >= limit) this.close('idle-timeout', `no input or output for ${this.info.idleTimeoutSeconds} s`);
      else this.armIdle(limit - idleFor);
    }, ms);
  }

  private clearTimers(): void {
    if (this.idleTimer !== undefined) this.deps.clock.clearTimeout(this.idleTimer);
    if (this.maxTimer !== undefined) this.deps.clock.clearTimeout(this.maxTimer);
    this.idleTimer = undefined;
    this.maxTimer = undefined;
  }
}
