import { z } from 'zod';
import { envelopeSchema, ulidSchema } from './envelope.js';

/**
 * Requests from the hub to one device on `rpc/req` (QoS 1, never retained) and the device's answer on
 * `rpc/res` (QoS 1). A request past `expiresAt` is answered with `expired` and not carried out, so a
 * device coming back online does not act on stale orders.
 */
export const RPC_METHODS = [
  'terminal.open',
  'inventory.refresh',
  'antivirus.scan',
  'antivirus.restore',
  'wwan.operators.scan',
  'wwan.operators.register',
] as const;
export type RpcMethod = (typeof RPC_METHODS)[number];

/** Error codes an agent answers with; the hub turns each into a message for the person who asked. */
export const RPC_ERROR_CODES = [
  'expired',
  'unknown-method',
  'invalid-params',
  'disabled',
  'busy',
  'no-desktop-user',
  'consent-refused',
  'spawn-failed',
  'internal',
  /** The thing named does not exist on the device (a quarantine record). */
  'not-found',
  /** Carrying it out would overwrite something (a file restored where another one now is). */
  'conflict',
] as const;
export type RpcErrorCode = (typeof RPC_ERROR_CODES)[number];

/** Terminal sizes accepted from any side. */
export const terminalSizeSchema = z.object({
  cols: z.number().int().min(1).max(1000),
  rows: z.number().int().min(1).max(1000),
});

/**
 * `terminal.open`: start a session whose frames flow on `term/{sid}/in|out`.
 * - `shell` with `pty`: an interactive login shell;
 * - `exec` with `pty: false`: `command` run by the user's shell with pipes (stdout and stderr kept
 *   apart, bytes untouched: what `ssh host cmd > file` expects);
 * - `exec` with `pty: true`: `command` in a terminal (`ssh -t host cmd`).
 * `as`: `root`, or the user signed in to the desktop (refused with `no-desktop-user` when nobody is).
 */
export const terminalOpenParamsSchema = z
  .object({
    sid: ulidSchema,
    mode: z.enum(['shell', 'exec']),
    command: z.string().min(1).max(16_384).optional(),
    pty: z.boolean(),
    as: z.enum(['root', 'user']),
    term: z
      .string()
      .regex(/^[A-Za-z0-9._+-]{1,64}$/)
      .default('xterm-256color'),
    size: terminalSizeSchema,
    /** Who asked and how; shown to the desktop user in the notification and the consent dialog. */
    requester: z.object({ username: z.string().min(1).max(64), via: z.enum(['ssh', 'web']) }),
    idleTimeoutSeconds: z.number().int().min(10).max(86_400),
    maxDurationSeconds: z
      .number()
      .int()
      .min(60)
      .max(7 * 86_400),
  })
  .refine((p) => (p.mode === 'exec') === (p.command !== undefined), {
    message: 'command is required for exec and not allowed for shell',
    path: ['command'],
  });
export type TerminalOpenParams = z.infer<typeof terminalOpenParamsSchema>;

/**
 * `inventory.refresh` (no params): collect and send a full inventory now, queued behind one being
 * collected. Answered at once; the inventory itself arrives on `inventory` like any other. `deferred`:
 * the device is on a metered link, so the full inventory waits for a fixed line (changed small
 * sections still go). An agent older than this method answers `unknown-method`.
 */
export const inventoryRefreshResultSchema = z.object({ deferred: z.boolean() });
export type InventoryRefreshResult = z.infer<typeof inventoryRefreshResultSchema>;

export const rpcRequestSchema = envelopeSchema.extend({
  method: z.enum(RPC_METHODS),
  expiresAt: z.iso.datetime({ offset: true }),
  params: z.unknown(),
});
export type RpcRequest = z.infer<typeof rpcRequestSchema>;

export const rpcResponseSchema = z.discriminatedUnion('ok', [
  envelopeSchema.extend({ reqId: ulidSchema, ok: z.literal(true), result: z.unknown().optional() }),
  envelopeSchema.extend({
    reqId: ulidSchema,
    ok: z.literal(false),
    error: z.object({ code: z.enum(RPC_ERROR_CODES), message: z.string().max(2000) }),
  }),
]);
export type RpcResponse = z.infer<typeof rpcResponseSchema>;
