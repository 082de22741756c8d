import type { RpcErrorCode } from '@bascule/protocol';

/** A refusal the agent answers on `rpc/res` with its code; the message is for the person who asked. */
export class RpcError extends Error {
  override name = 'RpcError';
  constructor(
    readonly code: RpcErrorCode,
    message: string,
  ) {
    super(message);
  }
}
