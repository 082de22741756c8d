import type { RpcErrorCode, RpcResponse } from '@bascule/protocol';
import {
  DEVICE_ID_PATTERN,
  decodePayload,
  encodePayload,
  type IdGenerator,
  PayloadError,
  PROTOCOL_VERSION,
} from '@bascule/protocol/runtime';
import type { Logger } from '../logging/logger.js';
import type { Clock } from '../system/clock.js';
import { FieldError, FieldReader, formatIssues } from '../validation/field-reader.js';
import { RpcError } from './rpc-error.js';

/** One RPC method: resolves with its result, or throws an RpcError (any other error is `internal`). */
export type RpcHandler = (params: unknown) => Promise<unknown>;

export interface RpcDispatcherDeps {
  clock: Clock;
  logger: Logger;
  ids: IdGenerator;
  /** Publishes the encoded answer on `rpc/res` (QoS 1, directly, not through the outbox). */
  respond(payload: Buffer): Promise<void>;
  /** The dispatch table: method name → handler. */
  handlers: Readonly<Record<string, RpcHandler>>;
}

/** Request ids remembered, so a QoS 1 redelivery is answered again and not carried out twice. */
const REMEMBERED = 256;
const MAX_MESSAGE = 2000;

/**
 * Answers requests from the hub on `rpc/req`: parses them by hand (no zod in the daemon), refuses
 * expired ones and unknown methods, calls the method's handler and publishes exactly one answer.
 * Nothing a request contains, nor a failing handler, can throw out of {@link handle}.
 */
export class RpcDispatcher {
  private readonly answered = new Map<string, Buffer | 'pending'>();

  constructor(private readonly deps: RpcDispatcherDeps) {}

  /** A message on `rpc/req`. */
  handle(payload: Buffer): void {
    let request: Record<string, unknown>;
    try {
      request = decodePayload(payload) as Record<string, unknown>;
    } catch (err) {
      if (!(err instanceof PayloadError)) throw err;
      this.deps.logger.warn('rpc: unreadable request; not answered', { error: err });
      return;
    }
    const id = new FieldReader(request);
    const reqId = id.string('id', { pattern: DEVICE_ID_PATTERN, patternMessage: 'expected a ULID' });
    try {
      id.done();
    } catch (err) {
      this.deps.logger.warn('rpc: request without a usable id; not answered', { error: err as Error });
      return;
    }
    if (this.isDuplicate(reqId)) return;
    const r = new FieldReader(request);
    r.literal('v', PROTOCOL_VERSION);
    const method = r.string('method', { minLength: 1 });
    const expiresAt = r.dateTime('expiresAt');
    const params = request.params;
    try {
      r.done();
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      this.answer(reqId, 'invalid-params', `bad request: ${formatIssues(err.issues)}`);
      return;
    }
    this.answered.set(reqId, 'pending');
    this.trim();
    if (Date.parse(expiresAt) <= this.deps.clock.now()) {
      this.answer(reqId, 'expired', `request expired at ${expiresAt}; not carried out`);
      return;
    }
    const handler = Object.hasOwn(this.deps.handlers, method) ? this.deps.handlers[method] : undefined;
    if (!handler) {
      this.answer(reqId, 'unknown-method', `this agent does not know the method "${method.slice(0, 100)}"`);
      return;
    }
    this.deps.logger.debug('rpc: request', { reqId, method });
    let running: Promise<unknown>;
    try {
      running = handler(params);
    } catch (err) {
      running = Promise.reject(err);
    }
    running.then(
      (result) => this.send(reqId, { ok: true, ...(result === undefined ? {} : { result }) }),
      (err: unknown) => {
        if (err instanceof RpcError) return this.answer(reqId, err.code, err.message);
        if (err instanceof FieldError) return this.answer(reqId, 'invalid-params', formatIssues(err.issues));
        this.deps.logger.error('rpc: handler failed', { reqId, method, error: err as Error });
        this.answer(reqId, 'internal', (err as Error)?.message ?? String(err));
      },
    );
  }

  private isDuplicate(reqId: string): boolean {
    const previous = this.answered.get(reqId);
    if (previous === undefined) return false;
    this.deps.logger.debug('rpc: duplicate request', { reqId });
    if (previous !== 'pending') this.publish(reqId, previous);
    return true;
  }

  private answer(reqId: string, code: RpcErrorCode, message: string): void {
    if (code !== 'expired') this.deps.logger.info('rpc: refused', { reqId, code, message });
    this.send(reqId, { ok: false, error: { code, message: message.slice(0, MAX_MESSAGE) } });
  }

  private send(
    reqId: string,
    body: { ok: true; result?: unknown } | { ok: false; error: { code: RpcErrorCode; message: string } },
  ): void {
    const response = {
      v: PROTOCOL_VERSION,
      id: this.deps.ids(),
      ts: new Date(this.deps.clock.now()).toISOString(),
      reqId,
      ...body,
    } as RpcResponse;
    const payload = encodePayload(response);
    this.answered.set(reqId, payload);
    this.trim();
    this.publish(reqId, payload);
  }

  private publish(reqId: string, payload: Buffer): void {
    this.deps
      .respond(payload)
      .catch((err: Error) =>
        this.deps.logger.warn('rpc: answer not delivered; the hub will time out', { reqId, error: err }),
      );
  }

  private trim(): void {
    while (this.answered.size > REMEMBERED) {
      const oldest = this.answered.keys().next().value;
      if (oldest === undefined) break;
      this.answered.delete(oldest);
    }
  }
}
