import {
  decodePayload,
  deviceTopic,
  encodePayload,
  type IdGenerator,
  PayloadError,
  PROTOCOL_VERSION,
  type RpcErrorCode,
  type RpcMethod,
  type RpcRequest,
  rpcResponseSchema,
} from '@bascule/protocol';
import type { DevicePublisher } from '../broker/device-link.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';

/** The device answered with an error, or did not answer in time (`no-answer`). */
export class RpcError extends Error {
  override name = 'RpcError';
  constructor(
    readonly code: RpcErrorCode | 'no-answer' | 'offline',
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  deviceId: string;
  resolve(result: unknown): void;
  reject(err: RpcError): void;
  timer: NodeJS.Timeout;
}

/**
 * Requests to one device on `rpc/req`, answered on `rpc/res`. Each call waits at most its timeout; a
 * late answer is dropped (the request carried the same expiry, so the agent did not act on it).
 */
export class RpcService {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly link: DevicePublisher,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Requests sent and not yet answered or timed out. */
  get pendingRequests(): number {
    return this.pending.size;
  }

  async call(deviceId: string, method: RpcMethod, params: unknown, timeoutMs: number): Promise<unknown> {
    if (!this.link.isConnected(deviceId)) throw new RpcError('offline', 'the device is not connected');
    const now = this.clock.now();
    const request: RpcRequest = {
      v: PROTOCOL_VERSION,
      id: this.ids(),
      ts: now.toISOString(),
      method,
      expiresAt: new Date(now.getTime() + timeoutMs).toISOString(),
      params,
    };
    const answer = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(request.id);
        reject(new RpcError('no-answer', `the device did not answer within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.pending.set(request.id, { deviceId, resolve, reject, timer });
    });
    try {
      await this.link.publish(deviceTopic(deviceId, 'rpc/req'), encodePayload(request), 1);
    } catch (err) {
      this.settle(request.id)?.reject(new RpcError('offline', `could not reach the device: ${(err as Error).message}`));
    }
    return answer;
  }

  /** A message on a device's `rpc/res`. Never throws: a bad answer is logged and dropped. */
  onResponse(deviceId: string, payload: Buffer): void {
    let body: unknown;
    try {
      body = decodePayload(payload);
    } catch (err) {
      if (!(err instanceof PayloadError)) throw err;
      this.logger.warn('rpc answer refused', { deviceId, reason: err.message });
      return;
    }
    const parsed = rpcResponseSchema.safeParse(body);
    if (!parsed.success) {
      this.logger.warn('rpc answer refused', { deviceId, reason: parsed.error.issues[0]?.message ?? 'invalid' });
      return;
    }
    const res = parsed.data;
    const waiting = this.pending.get(res.reqId);
    if (!waiting || waiting.deviceId !== deviceId) {
      // Late (timed out) or not this device's request: nothing waits for it.
      this.logger.info('rpc answer without a waiting request', { deviceId, reqId: res.reqId });
      return;
    }
    this.settle(res.reqId);
    if (res.ok) waiting.resolve(res.result);
    else waiting.reject(new RpcError(res.error.code, res.error.message));
  }

  /** Rejects every waiting call (hub stopping). */
  stop(): void {
    for (const id of [...this.pending.keys()])
      this.settle(id)?.reject(new RpcError('no-answer', 'the hub is stopping'));
  }

  private settle(id: string): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    clearTimeout(p.timer);
    this.pending.delete(id);
    return p;
  }
}
