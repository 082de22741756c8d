import {
  mccMncSchema,
  type WwanOperatorsRegisterResult,
  type WwanOperatorsScanResult,
  wwanOperatorsRegisterResultSchema,
  wwanOperatorsScanResultSchema,
} from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { DeviceService } from '../devices/device.service.js';
import { ApiError } from '../http/http-errors.js';
import { fieldErrors } from '../policies/policy-validation.js';
import { RpcError, type RpcService } from '../rpc/rpc.service.js';

/** A network scan keeps the modem busy for a minute or two (the agent allows mmcli 130 s). */
export const SCAN_TIMEOUT_MS = 150_000;
export const REGISTER_TIMEOUT_MS = 150_000;

/**
 * The helpdesk's mobile-operator actions on one device (`POST devices/{id}/wwan/operators/scan|register`).
 * The choice stays a person's (in France a desktop may not switch operators by itself): the agent never
 * registers elsewhere on its own, and each request is audited with who asked and which operator.
 */
export class WwanOperatorsService {
  constructor(
    private readonly devices: DeviceService,
    private readonly rpc: Pick<RpcService, 'call'>,
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async scan(deviceId: string, username: string): Promise<WwanOperatorsScanResult & { deviceId: string }> {
    const device = await this.devices.get(deviceId);
    const ts = this.clock.now().toISOString();
    let raw: unknown;
    try {
      raw = await this.rpc.call(deviceId, 'wwan.operators.scan', { by: username }, SCAN_TIMEOUT_MS);
    } catch (err) {
      if (!(err instanceof RpcError)) throw err;
      await this.record(username, deviceId, ts, 'wwan.operators.scan', { outcome: err.code });
      throw refusal(err, device.hostname, device.agentVersion, 'list the operators');
    }
    const result = parseAnswer(wwanOperatorsScanResultSchema, raw, device.hostname);
    await this.record(username, deviceId, ts, 'wwan.operators.scan', {
      outcome: 'done',
      modem: result.modem,
      operators: result.operators.map((o) => o.code),
    });
    this.logger.info('wwan operators listed', { deviceId, by: username, count: result.operators.length });
    return { deviceId, ...result };
  }

  async register(
    deviceId: string,
    body: unknown,
    username: string,
  ): Promise<WwanOperatorsRegisterResult & { deviceId: string }> {
    const parsed = mccMncSchema.safeParse((body as { operator?: unknown } | null)?.operator);
    if (!parsed.success) {
      throw fieldErrors('the operator is not valid', [
        { path: ['operator'], message: parsed.error.issues[0]?.message ?? 'expected MCC+MNC' },
      ]);
    }
    const operator = parsed.data;
    const device = await this.devices.get(deviceId);
    const ts = this.clock.now().toISOString();
    let raw: unknown;
    try {
      raw = await this.rpc.call(deviceId, 'wwan.operators.register', { operator, by: username }, REGISTER_TIMEOUT_MS);
    } catch (err) {
      if (!(err instanceof RpcError)) throw err;
      await this.record(username, deviceId, ts, 'wwan.operators.register', { operator, outcome: err.code });
      throw refusal(err, device.hostname, device.agentVersion, `register on ${operator}`);
    }
    const result = parseAnswer(wwanOperatorsRegisterResultSchema, raw, device.hostname);
    await this.record(username, deviceId, ts, 'wwan.operators.register', {
      operator,
      outcome: 'done',
      modem: result.modem,
      profilePinned: result.profilePinned,
    });
    this.logger.info('wwan operator registered', { deviceId, by: username, operator });
    return { deviceId, ...result };
  }

  private record(actor: string, target: string, ts: string, action: string, detail: Record<string, unknown>) {
    return this.audit.record({ ts, actor, action, target, detail });
  }
}

function parseAnswer<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  raw: unknown,
  hostname: string,
): T {
  const r = schema.safeParse(raw);
  if (!r.success) throw new ApiError(502, `${hostname} answered something unexpected`, { code: 'DEVICE_ERROR' });
  return r.data;
}

function refusal(err: RpcError, hostname: string, agentVersion: string | null, what: string): ApiError {
  switch (err.code) {
    case 'offline':
      return ApiError.conflict(`${hostname} is offline: cannot ${what} now`, 'DEVICE_OFFLINE');
    case 'unknown-method':
      return ApiError.conflict(
        `the agent on ${hostname} (${agentVersion ?? 'unknown version'}) cannot ${what}; update it`,
        'AGENT_TOO_OLD',
      );
    case 'busy':
      return ApiError.conflict(`${hostname}: ${err.message}`, 'DEVICE_BUSY');
    case 'no-answer':
    case 'expired':
      return new ApiError(503, `${hostname} did not answer in time; try again`, { code: 'DEVICE_NO_ANSWER' });
    default:
      return new ApiError(502, `${hostname} could not ${what}: ${err.message}`, { code: 'DEVICE_ERROR' });
  }
}
