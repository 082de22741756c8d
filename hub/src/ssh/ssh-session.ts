import type { Writable } from 'node:stream';
import type { TerminalClose } from '@bascule/protocol';
import type { PseudoTtyInfo, ServerChannel, Session } from 'ssh2';
import type { Logger } from '../core/logger.js';
import {
  type TerminalClient,
  type TerminalHandle,
  TerminalOpenError,
  type TerminalOpener,
  type TerminalUser,
} from '../terminal/terminal.types.js';
import { closeMessage, openErrorMessage, type SshLang, sshLang, usernameErrorMessage } from './ssh-messages.js';
import type { ParsedSshUsername } from './ssh-username.js';

/**
 * Exit status when the gateway itself refuses or ends a session (device unknown or offline, consent
 * refused, session cut): 255, like OpenSSH's own errors, so a script can tell it from the command's
 * status. A role that may not open sessions (viewer) gets 1.
 */
export const EXIT_REFUSED = 255;
export const EXIT_FORBIDDEN = 1;

const DEFAULT_SIZE = { cols: 80, rows: 24 };
const EMPTY = Buffer.alloc(0);

export interface SshSessionContext {
  user: TerminalUser;
  target: ParsedSshUsername;
  clientAddress: string;
  opener: TerminalOpener;
  logger: Logger;
}

/**
 * One SSH `session` channel bridged to a terminal on a device: `shell` or `exec`, with the pty size
 * and TERM of `pty-req`, resize from `window-change`, stdin, and output that is acknowledged only once
 * the SSH channel took it (a client that stops reading stops the process on the desktop).
 * Everything else a session can ask for (env other than the locale, X11, agent forwarding,
 * subsystems such as sftp, signals) is refused.
 */
export class SshSession {
  private readonly env = new Map<string, string>();
  private pty?: { cols: number; rows: number; term: string };
  private channel?: ServerChannel;
  private handle?: TerminalHandle;
  private exitStatus?: { code: number | null; signal: string | null };
  private ended = false;
  private started = false;
  private readonly waitingDrain = new Map<Writable, (() => void)[]>();
  private readonly endedListeners: (() => void)[] = [];

  constructor(
    session: Session,
    private readonly ctx: SshSessionContext,
  ) {
    session.on('env', (accept, reject, info) => {
      // Only the locale: it picks the language of our messages. Nothing reaches the device's environment.
      if ((info.key === 'LANG' || info.key.startsWith('LC_')) && info.val.length <= 100) {
        this.env.set(info.key, info.val);
        accept?.();
      } else reject?.();
    });
    session.on('pty', (accept, _reject, info: PseudoTtyInfo & { term?: string }) => {
      this.pty = { cols: info.cols || DEFAULT_SIZE.cols, rows: info.rows || DEFAULT_SIZE.rows, term: info.term || '' };
      accept?.();
    });
    session.on('window-change', (accept, _reject, info) => {
      if (this.pty) this.pty = { ...this.pty, cols: info.cols, rows: info.rows };
      if (info.cols > 0 && info.rows > 0) this.handle?.resize(info.cols, info.rows);
      accept?.();
    });
    session.on('shell', (accept, reject) => this.begin(accept, reject, 'shell'));
    session.on('exec', (accept, reject, info) => this.begin(accept, reject, 'exec', info.command));
    for (const refused of ['x11', 'auth-agent', 'subsystem', 'sftp', 'signal'] as const) {
      session.on(refused as 'x11', (_accept: unknown, reject?: () => void) => {
        this.ctx.logger.info('ssh request refused', { request: refused, user: ctx.user.username });
        reject?.();
      });
    }
    session.on('close', () => this.clientGone());
  }

  /** Called once when the session is over, whichever side ended it. */
  onEnded(listener: () => void): void {
    if (this.ended) listener();
    else this.endedListeners.push(listener);
  }

  /** The hub is stopping: tell the person, end the session on the device and here. */
  stop(message: string): void {
    if (this.handle) this.handle.close('hub-stopping', message);
    else void this.finish(EXIT_REFUSED, message);
  }

  private begin(
    accept: () => ServerChannel,
    reject: (() => void) | undefined,
    mode: 'shell' | 'exec',
    command?: string,
  ): void {
    if (this.started) {
      reject?.();
      return;
    }
    this.started = true;
    const channel = accept();
    this.channel = channel;
    channel.on('error', (err: Error) => this.ctx.logger.debug('ssh channel error', { error: err }));
    channel.on('close', () => this.clientGone());
    channel.stderr.on('error', (err: Error) => this.ctx.logger.debug('ssh channel error', { error: err }));
    void this.open(mode, command);
  }

  private get lang(): SshLang {
    return sshLang(this.env);
  }

  private async open(mode: 'shell' | 'exec', command: string | undefined): Promise<void> {
    const { target, user } = this.ctx;
    if (!target.ok) {
      await this.finish(EXIT_REFUSED, usernameErrorMessage(target.error, target.username, this.lang));
      return;
    }
    const pty = mode === 'shell' || this.pty !== undefined;
    try {
      const handle = await this.ctx.opener.open(
        {
          user,
          deviceRef: target.target.deviceRef,
          via: 'ssh',
          mode,
          ...(mode === 'exec' ? { command: command ?? '' } : {}),
          pty,
          as: target.target.as,
          ...(this.pty?.term ? { term: this.pty.term } : {}),
          size: this.pty ? { cols: this.pty.cols, rows: this.pty.rows } : DEFAULT_SIZE,
          clientAddress: this.ctx.clientAddress,
        },
        this.client(),
      );
      this.handle = handle;
      if (this.ended) {
        handle.close('client-closed', 'the SSH client left while the session was opening');
        return;
      }
      const channel = this.channel as ServerChannel;
      channel.on('data', (data: Buffer) => handle.input(data));
      channel.on('end', () => handle.eof());
    } catch (err) {
      if (err instanceof TerminalOpenError) {
        const status = err.code === 'forbidden' ? EXIT_FORBIDDEN : EXIT_REFUSED;
        await this.finish(status, openErrorMessage(err, this.lang, target.target.as));
        return;
      }
      this.ctx.logger.error('terminal open failed', { error: err as Error, user: user.username });
      const message =
        this.lang === 'fr' ? 'erreur interne du hub ; voir son journal' : 'internal error in the hub; see its log';
      await this.finish(EXIT_REFUSED, message);
    }
  }

  private client(): TerminalClient {
    return {
      output: (stream, data, consumed) => {
        const channel = this.channel;
        if (!channel || this.ended || !channel.writable) {
          consumed();
          return;
        }
        const target: Writable = stream === 'stderr' ? channel.stderr : channel;
        if (target.write(data)) {
          consumed();
          return;
        }
        const waiting = this.waitingDrain.get(target);
        if (waiting) waiting.push(consumed);
        else {
          this.waitingDrain.set(target, [consumed]);
          target.once('drain', () => {
            const callbacks = this.waitingDrain.get(target) ?? [];
            this.waitingDrain.delete(target);
            for (const cb of callbacks) cb();
          });
        }
      },
      exit: (code, signal) => {
        this.exitStatus = { code, signal };
      },
      closed: (close: TerminalClose) => {
        const status = this.exitStatus;
        if (close.code === 'exit' && status) {
          void this.finish(status.signal ? status.signal : (status.code ?? EXIT_REFUSED));
        } else {
          void this.finish(status?.signal ?? status?.code ?? EXIT_REFUSED, closeMessage(close, this.lang));
        }
      },
    };
  }

  /**
   * Prints `message` on stderr, waits until what was written reached the SSH layer, then sends the exit
   * status (or signal) and closes the channel: OpenSSH shows all output before it exits.
   */
  private async finish(status: number | string, message?: string): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const channel = this.channel;
    if (channel?.writable) {
      if (message) channel.stderr.write(`bascule: ${message}${this.pty ? '\r\n' : '\n'}`);
      await Promise.all([flushed(channel, channel), flushed(channel.stderr, channel)]);
      if (channel.writable) {
        if (typeof status === 'number') channel.exit(status);
        else channel.exit(status.replace(/^SIG/, ''), false, '');
        channel.end();
      }
    }
    this.released();
  }

  private clientGone(): void {
    if (this.handle && !this.ended) this.handle.close('client-closed', 'the SSH client closed the session');
    if (!this.ended) {
      this.ended = true;
      this.released();
    }
  }

  private released(): void {
    // Callbacks still waiting for a drain that will never come: the session's window is released.
    for (const callbacks of this.waitingDrain.values()) for (const cb of callbacks) cb();
    this.waitingDrain.clear();
    for (const listener of this.endedListeners.splice(0)) listener();
  }
}

/** Resolves once everything written to `w` before now was handed to the SSH layer (or the channel closed). */
function flushed(w: Writable, channel: ServerChannel): Promise<void> {
  if (w.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    channel.once('close', resolve);
    w.write(EMPTY, () => resolve());
  });
}
