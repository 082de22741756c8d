import type { AddressInfo } from 'node:net';
import ssh2, { type AuthContext, type Connection, type Server } from 'ssh2';
import type { LoginLimiter } from '../auth/login-limiter.js';
import type { Logger } from '../core/logger.js';
import type { TerminalOpener, TerminalUser } from '../terminal/terminal.types.js';
import type { SshKeyService } from '../users/ssh-key.service.js';
import { verifySshSignature } from '../users/ssh-public-key.js';
import { loadOrCreateSshHostKey } from './ssh-host-key.js';
import { otherChannelMessage } from './ssh-messages.js';
import { SshSession } from './ssh-session.js';
import { type ParsedSshUsername, parseSshUsername } from './ssh-username.js';

export interface SshGatewayOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /** Ed25519 host key, created on first start. */
  hostKeyFile: string;
  /** Time to authenticate (OpenSSH's LoginGraceTime). */
  authTimeoutMs?: number;
  /** An authenticated connection without a session channel is closed after this long. */
  idleTimeoutMs?: number;
  /** Public-key attempts per connection (OpenSSH's MaxAuthTries). */
  maxAuthAttempts?: number;
}

type KeyLookup = Pick<SshKeyService, 'findOwner' | 'markUsed'>;

interface Authenticated {
  user: TerminalUser;
  target: ParsedSshUsername;
  fingerprint: string;
}

/**
 * The hub's SSH server: `ssh -p 2222 USER+DEVICE@hub [command]` opens a terminal on DEVICE for a
 * helpdesk user authenticated by a registered public key. Public keys only; no port forwarding, no
 * X11 or agent forwarding, no sftp; nothing ever runs on the hub itself.
 */
export class SshGateway {
  private server?: Server;
  private readonly connections = new Set<Connection>();
  private readonly sessions = new Set<SshSession>();
  fingerprint = '';

  constructor(
    private readonly keys: KeyLookup,
    private readonly opener: TerminalOpener,
    private readonly limiter: LoginLimiter,
    private readonly logger: Logger,
    private readonly options: SshGatewayOptions,
  ) {}

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Listens; resolves with the port. */
  async start(): Promise<number> {
    const hostKey = loadOrCreateSshHostKey(this.options.hostKeyFile);
    this.fingerprint = hostKey.fingerprint;
    if (hostKey.created) this.logger.info('ssh host key created', { file: this.options.hostKeyFile });
    // ssh2 is CommonJS: Node's ESM loader only offers its default export.
    const server = new ssh2.Server({ hostKeys: [hostKey.privateKey], ident: 'bascule' }, (client, info) =>
      this.accept(client, info.ip),
    );
    this.server = server;
    server.on('error', (err: Error) => this.logger.error('ssh server error', { error: err }));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    this.logger.info('ssh gateway listening', { port, host: this.options.host, hostKeyFingerprint: this.fingerprint });
    return port;
  }

  /** Ends every session and connection and stops listening; nothing is left running. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const session of this.sessions) session.stop('hub stopping');
    // Give the sessions' last words a moment to leave, then cut what is left.
    if (this.connections.size > 0) await new Promise((r) => setTimeout(r, 100).unref());
    for (const client of this.connections) client.end();
    const deadline = setTimeout(() => {
      for (const client of this.connections) socketOf(client)?.destroy();
    }, 1_000);
    await closed;
    clearTimeout(deadline);
  }

  private accept(client: Connection, ip: string): void {
    const log = this.logger.child({ client: ip });
    const limiterKey = [`ssh:${ip}`];
    this.connections.add(client);
    // Keystrokes and their echo are tiny packets: Nagle's algorithm would hold them for a delayed ACK (40 ms).
    // (ssh2 has Connection.setNoDelay; @types/ssh2 does not declare it.)
    (client as Connection & { setNoDelay(on: boolean): void }).setNoDelay(true);
    let authenticated: Authenticated | undefined;
    let attempts = 0;
    let session: SshSession | undefined;
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms: number, why: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        log.info('ssh connection closed', { reason: why });
        client.end();
      }, ms);
      timer.unref();
    };
    arm(this.options.authTimeoutMs ?? 30_000, 'authentication timeout');

    client.on('error', (err: Error) => log.debug('ssh connection error', { error: err }));
    client.on('close', () => {
      clearTimeout(timer);
      this.connections.delete(client);
      if (!authenticated && attempts > 0) this.limiter.recordFailure(limiterKey);
    });

    client.on('authentication', (ctx) => {
      // `authenticated` is set before ctx.accept(): ssh2 emits 'ready' from within accept().
      const succeeded = (who: Authenticated) => {
        authenticated = who;
      };
      void this.authenticate(ctx, ip, limiterKey, ++attempts, log, succeeded).catch((err: Error) => {
        log.error('ssh authentication failed', { error: err });
        ctx.reject(['publickey']);
      });
    });

    client.on('ready', () => {
      arm(this.options.idleTimeoutMs ?? 60_000, 'idle without a session');
      const who = authenticated as Authenticated;
      client.on('session', (accept, reject) => {
        if (session) {
          log.info('ssh second session refused', { user: who.user.username, why: otherChannelMessage('en') });
          reject();
          return;
        }
        clearTimeout(timer);
        const current = new SshSession(accept(), {
          user: who.user,
          target: who.target,
          clientAddress: ip,
          opener: this.opener,
          logger: log.child({ user: who.user.username }),
        });
        session = current;
        this.sessions.add(current);
        current.onEnded(() => {
          this.sessions.delete(current);
          session = undefined;
          arm(this.options.idleTimeoutMs ?? 60_000, 'idle without a session');
        });
      });
      // No 'tcpip' or 'openssh.streamlocal' listener: ssh2 then refuses those channels as
      // "administratively prohibited", as sshd does with forwarding disabled.
      client.on('request', (_accept, reject, name) => {
        log.info('ssh request refused', { user: who.user.username, request: name });
        reject?.();
      });
    });
  }

  /** Public key only; calls `succeeded` with who it is once a signature checked out. */
  private async authenticate(
    ctx: AuthContext,
    ip: string,
    limiterKey: string[],
    attempt: number,
    log: Logger,
    succeeded: (who: Authenticated) => void,
  ): Promise<void> {
    if (attempt > (this.options.maxAuthAttempts ?? 10)) {
      ctx.reject([]);
      return;
    }
    if (ctx.method !== 'publickey') {
      ctx.reject(['publickey']);
      return;
    }
    if (this.limiter.retryAfterMs(limiterKey) > 0) {
      log.warn('ssh authentication throttled', { username: ctx.username });
      ctx.reject(['publickey']);
      return;
    }
    const target = parseSshUsername(ctx.username);
    const username = target.ok ? target.target.username : target.username;
    const owner = await this.keys.findOwner(ctx.key.data.toString('base64'));
    if (!owner || owner.user.username !== username) {
      if (ctx.signature) log.info('ssh key refused', { username, known: owner !== undefined });
      ctx.reject(['publickey']);
      return;
    }
    if (!ctx.signature || !ctx.blob) {
      ctx.accept(); // "would this key do?": yes; the client signs next.
      return;
    }
    if (!verifySshSignature(owner.key.public_key, ctx.blob, ctx.signature, ctx.hashAlgo)) {
      log.warn('ssh signature invalid', { username, fingerprint: owner.key.fingerprint });
      ctx.reject(['publickey']);
      return;
    }
    this.limiter.recordSuccess(limiterKey);
    await this.keys.markUsed(owner.key.id);
    log.info('ssh authenticated', {
      user: username,
      role: owner.user.role,
      fingerprint: owner.key.fingerprint,
      target: ctx.username,
      ip,
    });
    succeeded({ user: owner.user, target, fingerprint: owner.key.fingerprint });
    ctx.accept();
  }
}

/** ssh2 keeps the socket private; stop() needs it to cut a client that does not leave. */
function socketOf(client: Connection): { destroy(): void } | undefined {
  return (client as unknown as { _sock?: { destroy(): void } })._sock;
}
