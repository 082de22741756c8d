import { type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WEB_TERMINAL_MAX_MESSAGE } from '@bascule/protocol';
import type { BeforeApplicationShutdown, FactoryProvider, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WebSocketServer } from 'ws';
import type { AuthService } from '../auth/auth.service.js';
import type { DepartmentScopeService } from '../auth/department-scope.service.js';
import type { Logger } from '../core/logger.js';
import type { TerminalOpener } from './terminal.types.js';
import { decideTerminalUpgrade } from './terminal-upgrade.js';
import {
  DEFAULT_WEB_TERMINAL_LIMITS,
  WebTerminalConnection,
  type WebTerminalLimits,
} from './web-terminal-connection.js';

export interface TerminalWebSocketOptions {
  /** A browser that does not answer a ping within this period is disconnected (its session closes). */
  pingIntervalMs: number;
  /** How long stop() lets browsers finish the close handshake before cutting their sockets. */
  stopGraceMs: number;
  limits: WebTerminalLimits;
}

const DEFAULTS: TerminalWebSocketOptions = {
  pingIntervalMs: 30_000,
  stopGraceMs: 1_000,
  limits: DEFAULT_WEB_TERMINAL_LIMITS,
};

/**
 * The browser terminal endpoint, `wss://HUB/api/v1/devices/{id}/terminal`, on the hub's HTTPS server:
 * upgrades are checked (origin, session cookie, role) before the handshake, then each socket is bridged
 * to a terminal session. start() hooks the server's `upgrade` event; stop() ends every session and
 * socket (the HTTPS server cannot close while upgraded sockets remain).
 */
export class TerminalWebSocketGateway {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: WEB_TERMINAL_MAX_MESSAGE,
    perMessageDeflate: false,
    clientTracking: false,
  });
  private readonly connections = new Set<WebTerminalConnection>();
  private server?: Server;
  private pinger?: NodeJS.Timeout;
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    this.upgrade(req, socket, head).catch((err: Error) => {
      this.logger.error('browser terminal upgrade failed', { error: err });
      refuse(socket, 500, { statusCode: 500, message: 'internal error' });
    });
  };

  constructor(
    private readonly auth: Pick<AuthService, 'authenticate'>,
    private readonly terminals: TerminalOpener,
    private readonly logger: Logger,
    private readonly options: TerminalWebSocketOptions = DEFAULTS,
    private readonly scope?: Pick<DepartmentScopeService, 'allowsDeviceRef'>,
  ) {}

  get activeConnections(): number {
    return this.connections.size;
  }

  start(server: Server): void {
    this.server = server;
    server.on('upgrade', this.onUpgrade);
    this.pinger = setInterval(() => {
      for (const c of this.connections) c.ping();
    }, this.options.pingIntervalMs);
    this.pinger.unref();
  }

  /** Ends every browser session (told `hub-stopping`), then cuts sockets that linger past the grace period. */
  async stop(): Promise<void> {
    clearInterval(this.pinger);
    this.pinger = undefined;
    this.server?.off('upgrade', this.onUpgrade);
    this.server = undefined;
    for (const c of this.connections) c.shutdown();
    const deadline = Date.now() + this.options.stopGraceMs;
    while (this.connections.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const c of this.connections) c.terminate();
    this.connections.clear();
    this.wss.close();
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // Until ws takes the socket over, a reset by the browser must not become an uncaught error.
    const onEarlyError = (err: Error) => this.logger.debug('socket error during upgrade', { error: err });
    socket.on('error', onEarlyError);
    const decision = await decideTerminalUpgrade(req, this.auth, this.scope);
    if (!decision.ok) {
      this.logger.info('browser terminal refused before upgrade', {
        path: req.url?.split('?')[0],
        status: decision.status,
        reason: decision.message,
        origin: req.headers.origin,
      });
      refuse(socket, decision.status, {
        statusCode: decision.status,
        message: decision.message,
        ...(decision.code ? { code: decision.code } : {}),
      });
      return;
    }
    if (!this.server) {
      refuse(socket, 503, { statusCode: 503, message: 'the hub is stopping' });
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off('error', onEarlyError);
      const { user, params } = decision;
      const conn = new WebTerminalConnection(
        ws,
        {
          user,
          deviceRef: params.deviceRef,
          via: 'web',
          mode: 'shell',
          pty: true,
          as: params.as,
          term: 'xterm-256color',
          size: { cols: params.cols, rows: params.rows },
          ...(req.socket.remoteAddress ? { clientAddress: req.socket.remoteAddress } : {}),
        },
        this.logger.child({ user: user.username }),
        this.options.limits,
      );
      this.connections.add(conn);
      ws.on('close', () => this.connections.delete(conn));
      void conn.start(this.terminals);
    });
  }
}

/** An HTTP answer on a socket that will not be upgraded, then the socket is closed. */
function refuse(socket: Duplex, status: number, body: Record<string, unknown>): void {
  if (socket.destroyed) return;
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(json)}\r\n` +
      '\r\n' +
      json,
  );
}

/**
 * The gateway as a Nest provider: started when the application boots (its HTTPS server exists by
 * then), stopped before Nest closes the server, which would otherwise wait for the upgraded sockets.
 */
export function terminalWebSocketProvider(
  auth: Pick<AuthService, 'authenticate'>,
  terminals: TerminalOpener,
  logger: Logger,
  scope?: Pick<DepartmentScopeService, 'allowsDeviceRef'>,
): FactoryProvider {
  return {
    provide: TerminalWebSocketGateway,
    inject: [HttpAdapterHost],
    useFactory: (host: HttpAdapterHost): OnApplicationBootstrap & BeforeApplicationShutdown => {
      const gateway = new TerminalWebSocketGateway(auth, terminals, logger, DEFAULTS, scope);
      return {
        onApplicationBootstrap: () => gateway.start(host.httpAdapter.getHttpServer() as Server),
        beforeApplicationShutdown: () => gateway.stop(),
      };
    },
  };
}
