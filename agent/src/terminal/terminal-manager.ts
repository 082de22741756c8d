import type { TerminalClose, TerminalOpenParams } from '@bascule/protocol';
import { encodeTerminalFrame, TERMINAL_FRAME } from '@bascule/protocol/runtime';
import type { Logger } from '../logging/logger.js';
import { RpcError } from '../rpc/rpc-error.js';
import type { AgentSettings } from '../settings/agent-settings.js';
import type { Clock } from '../system/clock.js';
import type { DesktopUser } from '../system/desktop-sessions.js';
import type { StateFile } from '../system/state-file.js';
import type { TerminalProcess } from '../system/terminal-process.js';
import type { UserAccount } from '../system/user-accounts.js';
import { parseRemoteShellPolicy, type RemoteShellPolicy } from './remote-shell-policy.js';
import type { TerminalHost } from './terminal-host.js';
import { terminalNotices } from './terminal-notices.js';
import { TerminalSession } from './terminal-session.js';
import { buildSpawnSpec } from './terminal-spawn-spec.js';

export type TerminalSettings = Pick<
  AgentSettings,
  'terminalEnabled' | 'terminalConsent' | 'terminalConsentTimeoutSeconds' | 'terminalMaxSessions'
>;

export interface TerminalManagerDeps {
  /** The agent's own settings (agent.conf, flags). */
  settings: TerminalSettings;
  /**
   * The hub's `remote-shell` policy as `apply` left it (`config/remote-shell.json`), read at each
   * session request: when present and valid it overrides `terminalEnabled`, `terminalConsent` and
   * `terminalConsentTimeoutSeconds`. Absent: the agent's settings only.
   */
  policy?: StateFile;
  clock: Clock;
  logger: Logger;
  host: TerminalHost;
  /** Publishes one frame on `term/{sid}/out` (QoS 0). */
  publish(sid: string, frame: Buffer): void;
  /** Between SIGHUP and SIGKILL of a closed session's process group; default 5 s. */
  killGraceMs?: number;
}

/** sids remembered after they closed or were answered `unknown-session`, so each is answered once. */
const QUIET_SIDS = 1024;
const STOP_GRACE_MS = 1_000;

interface PendingOpen {
  /** The hub gave up (a close frame) while the agent was still asking or spawning. */
  cancelled?: TerminalClose;
}

/**
 * The remote terminal sessions of this desktop: opens them on `terminal.open` (settings, who is signed
 * in, consent, spawn), routes `term/{sid}/in` frames, audits and notifies open and close, and closes
 * them all on stop.
 */
export class TerminalManager {
  private readonly sessions = new Map<string, TerminalSession>();
  private readonly pending = new Map<string, PendingOpen>();
  private readonly quiet = new Set<string>();
  private abort = new AbortController();
  private running = false;
  /** What the last read of the policy file found, so that each change is logged once. */
  private policySeen: string | undefined;

  constructor(private readonly deps: TerminalManagerDeps) {}

  /** Sessions open or being opened. */
  get count(): number {
    return this.sessions.size + this.pending.size;
  }

  start(): void {
    this.running = true;
    this.abort = new AbortController();
  }

  /** Closes every session with `agent-stopping` and waits until their processes are reaped. */
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    const sessions = [...this.sessions.values()];
    for (const session of sessions) {
      session.close('agent-stopping', 'the agent on the desktop is stopping', { graceMs: STOP_GRACE_MS });
    }
    await Promise.all(sessions.map((s) => s.done));
  }

  /** `terminal.open`: resolves once the process runs and its input is routed; throws RpcError. */
  async open(params: TerminalOpenParams): Promise<void> {
    if (!this.running) throw new RpcError('internal', 'the agent is stopping');
    const { settings, fromPolicy } = this.settings();
    if (!settings.terminalEnabled) {
      throw new RpcError(
        'disabled',
        fromPolicy
          ? "remote terminals are switched off on this desktop (the hub's remote-shell policy)"
          : 'remote terminals are switched off on this desktop (terminalEnabled is false)',
      );
    }
    if (this.sessions.has(params.sid) || this.pending.has(params.sid) || this.quiet.has(params.sid)) {
      throw new RpcError('invalid-params', `sid: session ${params.sid} already exists on this desktop`);
    }
    if (this.count >= settings.terminalMaxSessions) {
      throw new RpcError(
        'busy',
        `${this.count} terminal sessions already open (at most ${settings.terminalMaxSessions})`,
      );
    }
    const pending: PendingOpen = {};
    this.pending.set(params.sid, pending);
    try {
      const desktop = await this.desktopUser(params, settings);
      await this.consent(params, desktop, settings);
      const account = await this.account(params, desktop);
      this.checkStillWanted(params.sid, pending);
      const lang = this.deps.host.systemLang() ?? process.env.LANG ?? 'C.UTF-8';
      let child: TerminalProcess;
      try {
        child = await this.deps.host.spawn(buildSpawnSpec(params, account, desktop, lang));
      } catch (err) {
        throw new RpcError(
          'spawn-failed',
          `cannot start ${account.shell} as ${account.name}: ${(err as Error).message}`,
        );
      }
      const session = new TerminalSession(
        {
          sid: params.sid,
          mode: params.mode,
          pty: params.pty,
          as: params.as,
          account: account.name,
          requester: params.requester,
          idleTimeoutSeconds: params.idleTimeoutSeconds,
          maxDurationSeconds: params.maxDurationSeconds,
        },
        child,
        {
          clock: this.deps.clock,
          logger: this.deps.logger,
          publish: (frame) => this.deps.publish(params.sid, frame),
          onClosed: (s, close) => this.onClosed(s, close),
          killGraceMs: this.deps.killGraceMs ?? 5_000,
        },
      );
      this.sessions.set(params.sid, session);
      session.start();
      this.deps.logger.info('terminal: session opened', {
        sid: params.sid,
        requester: params.requester.username,
        via: params.requester.via,
        mode: params.mode,
        pty: params.pty,
        as: params.as,
        account: account.name,
        pid: child.pid,
      });
      if (!this.running || pending.cancelled) {
        const close = pending.cancelled ?? { code: 'agent-stopping' as const, message: 'the agent is stopping' };
        session.close(close.code, close.message, { sendFrame: !pending.cancelled });
        throw new RpcError('internal', `session ${params.sid} ended before it opened (${close.code})`);
      }
      if (desktop)
        this.notify(desktop, terminalNotices.openedSummary, terminalNotices.opened(params.requester.username));
    } finally {
      this.pending.delete(params.sid);
    }
  }

  /** A frame on `term/{sid}/in`. Never throws. */
  handleInput(sid: string, payload: Buffer): void {
    try {
      const session = this.sessions.get(sid);
      if (session) {
        session.handleFrame(payload);
        return;
      }
      const pending = this.pending.get(sid);
      if (pending) {
        // Input before the hub had its answer: only a close matters (the hub gave up waiting).
        if (payload[0] === TERMINAL_FRAME.close)
          pending.cancelled = { code: 'client-closed', message: 'closed by the hub' };
        return;
      }
      if (this.quiet.has(sid)) return;
      this.remember(sid);
      if (payload[0] === TERMINAL_FRAME.close) return; // the receiver of a close does not answer
      this.deps.logger.debug('terminal: frame for an unknown session', { sid });
      this.deps.publish(
        sid,
        encodeTerminalFrame({
          type: TERMINAL_FRAME.close,
          seq: 1,
          close: { code: 'unknown-session', message: `no terminal session ${sid} on this desktop` },
        }),
      );
    } catch (err) {
      this.deps.logger.error('terminal: input frame failed', { sid, error: err as Error });
    }
  }

  /** The agent's settings, overridden by the hub's policy when its file is there and valid. */
  private settings(): { settings: TerminalSettings; fromPolicy: boolean } {
    const local = this.deps.settings;
    const policy = this.readPolicy();
    if (!policy) return { settings: local, fromPolicy: false };
    return {
      settings: {
        ...local,
        terminalEnabled: policy.enabled,
        terminalConsent: policy.consent,
        terminalConsentTimeoutSeconds: policy.consentTimeoutSeconds,
      },
      fromPolicy: true,
    };
  }

  /** The policy file, or null (none, or unusable: logged once, and the agent's settings apply). */
  private readPolicy(): RemoteShellPolicy | null {
    const file = this.deps.policy;
    if (!file) return null;
    let policy: RemoteShellPolicy | null = null;
    let problem: string | null = null;
    try {
      const text = file.read();
      if (text !== null) policy = parseRemoteShellPolicy(text);
    } catch (err) {
      problem = (err as Error).message;
    }
    const seen = problem !== null ? `bad:${problem}` : JSON.stringify(policy);
    if (seen !== this.policySeen) {
      this.policySeen = seen;
      if (problem !== null) {
        this.deps.logger.warn("terminal: the remote-shell policy file is unusable; the agent's own settings apply", {
          file: file.path,
          error: problem,
        });
      } else if (policy) {
        this.deps.logger.info("terminal: the hub's remote-shell policy applies", { ...policy });
      } else {
        this.deps.logger.info("terminal: no remote-shell policy from the hub; the agent's own settings apply", {
          enabled: this.deps.settings.terminalEnabled,
          consent: this.deps.settings.terminalConsent,
        });
      }
    }
    return policy;
  }

  private async desktopUser(params: TerminalOpenParams, settings: TerminalSettings): Promise<DesktopUser | null> {
    try {
      return await this.deps.host.activeDesktopUser();
    } catch (err) {
      this.deps.logger.warn('terminal: cannot tell who is signed in to the desktop', { error: err as Error });
      if (params.as === 'user' || settings.terminalConsent === 'always') {
        throw new RpcError('no-desktop-user', `cannot tell who is signed in: ${(err as Error).message}`);
      }
      return null;
    }
  }

  private async consent(
    params: TerminalOpenParams,
    desktop: DesktopUser | null,
    settings: TerminalSettings,
  ): Promise<void> {
    const mode = settings.terminalConsent;
    if (mode === 'never' || (mode === 'when-signed-in' && !desktop)) {
      if (params.as === 'user' && !desktop) throw this.noDesktopUser();
      return;
    }
    if (!desktop) {
      throw new RpcError('consent-refused', 'consent is required and nobody is signed in to the desktop to accept');
    }
    const timeout = settings.terminalConsentTimeoutSeconds;
    let answer: Awaited<ReturnType<TerminalHost['ask']>>;
    try {
      answer = await this.deps.host.ask(
        desktop,
        terminalNotices.consentTitle,
        terminalNotices.consent(params, timeout),
        timeout,
        this.abort.signal,
      );
    } catch (err) {
      this.deps.logger.warn('terminal: cannot ask the desktop user for consent', { error: err as Error });
      answer = 'unavailable';
    }
    this.deps.logger.info('terminal: consent', {
      sid: params.sid,
      requester: params.requester.username,
      user: desktop.name,
      answer,
    });
    if (answer === 'accepted') return;
    const why = {
      refused: `${desktop.name} refused`,
      timeout: `${desktop.name} did not answer within ${timeout} s`,
      unavailable: `the consent dialog could not be shown to ${desktop.name} (is zenity installed?)`,
    }[answer];
    throw new RpcError('consent-refused', why);
  }

  private async account(params: TerminalOpenParams, desktop: DesktopUser | null): Promise<UserAccount> {
    const name = params.as === 'root' ? 'root' : desktop?.name;
    if (name === undefined) throw this.noDesktopUser();
    try {
      return await this.deps.host.account(name);
    } catch (err) {
      throw new RpcError('spawn-failed', `cannot find the account ${name}: ${(err as Error).message}`);
    }
  }

  private noDesktopUser(): RpcError {
    return new RpcError('no-desktop-user', 'nobody is signed in to the desktop; open the session as root');
  }

  private checkStillWanted(sid: string, pending: PendingOpen): void {
    if (!this.running) throw new RpcError('internal', 'the agent is stopping');
    if (pending.cancelled) throw new RpcError('internal', `session ${sid} was closed by the hub before it opened`);
  }

  private onClosed(session: TerminalSession, close: TerminalClose): void {
    this.sessions.delete(session.sid);
    this.remember(session.sid);
    const { info, stats } = session;
    this.deps.logger.info('terminal: session closed', {
      sid: info.sid,
      requester: info.requester.username,
      via: info.requester.via,
      mode: info.mode,
      as: info.as,
      account: info.account,
      bytesIn: stats.bytesIn,
      bytesOut: stats.bytesOut,
      exitCode: stats.exitCode,
      exitSignal: stats.exitSignal,
      reason: close.code,
      message: close.message,
      durationMs: this.deps.clock.now() - stats.startedAt,
    });
    if (!this.running) return;
    this.deps.host
      .activeDesktopUser()
      .then((desktop) => {
        if (desktop)
          this.notify(desktop, terminalNotices.closedSummary, terminalNotices.closed(info.requester.username));
      })
      .catch((err: Error) => this.deps.logger.warn('terminal: no close notification', { sid: info.sid, error: err }));
  }

  private notify(desktop: DesktopUser, summary: string, body: string): void {
    this.deps.host
      .notify(desktop, summary, body)
      .catch((err: Error) =>
        this.deps.logger.warn('terminal: desktop notification not shown', { user: desktop.name, error: err }),
      );
  }

  private remember(sid: string): void {
    this.quiet.add(sid);
    if (this.quiet.size > QUIET_SIDS) {
      const oldest = this.quiet.values().next().value;
      if (oldest !== undefined) this.quiet.delete(oldest);
    }
  }
}
