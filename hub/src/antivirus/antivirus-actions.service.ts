import {
  type AntivirusRestoreResult,
  type AntivirusScanResult,
  antivirusRestoreResultSchema,
  antivirusScanParamsSchema,
  antivirusScanResultSchema,
} from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { DeviceService } from '../devices/device.service.js';
import { ApiError } from '../http/http-errors.js';
import { RpcError, type RpcService } from '../rpc/rpc.service.js';

/** How long the agent has to acknowledge (a scan starts at once; its result comes as events). */
export const ANTIVIRUS_RPC_TIMEOUT_MS = 15_000;

const QUARANTINE_ID = /^[0-9A-Za-z_-]{1,64}$/;

export interface AntivirusScanView {
  deviceId: string;
  scanId: string;
  requestedAt: string;
}

/** The body of `POST devices/{id}/antivirus/scan`: `{}` or `{"paths": ["/home"]}`, or a 400. */
export function parseScanBody(body: unknown): { paths?: string[] } {
  const input = body === undefined || body === null ? {} : body;
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw ApiError.badRequest('expected a JSON object such as {"paths": ["/home"]} (or none: the policy\'s paths)');
  }
  const unknown = Object.keys(input).filter((k) => k !== 'paths');
  if (unknown.length > 0) throw ApiError.badRequest(`"${unknown[0]}" is not accepted: only "paths"`);
  const parsed = antivirusScanParamsSchema.pick({ paths: true }).safeParse(input);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[issue.path.join('.') || 'paths'] = issue.message;
    throw ApiError.badRequest(
      `paths: expected 1 to 64 absolute paths without .. (${Object.entries(errors)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ')})`,
      errors,
    );
  }
  return parsed.data.paths ? { paths: parsed.data.paths } : {};
}

/**
 * The device page's antivirus actions: "scan now" (`antivirus.scan`, answered at once with the scan's
 * id; progress and result come as events) and restore from the quarantine (`antivirus.restore`). Each
 * call is audited with its outcome, refusals included.
 */
export class AntivirusActionsService {
  constructor(
    private readonly devices: Pick<DeviceService, 'get'>,
    private readonly rpc: Pick<RpcService, 'call'>,
    private readonly audit: Pick<AuditRepository, 'record'>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async scan(deviceId: string, body: unknown, username: string): Promise<AntivirusScanView> {
    const { paths } = parseScanBody(body);
    const device = await this.devices.get(deviceId);
    const requestedAt = this.clock.now().toISOString();
    const detail = paths ? { paths } : {};
    let result: AntivirusScanResult;
    try {
      const answer = await this.rpc.call(
        deviceId,
        'antivirus.scan',
        { ...detail, by: username },
        ANTIVIRUS_RPC_TIMEOUT_MS,
      );
      result = antivirusScanResultSchema.parse(answer);
    } catch (err) {
      if (!(err instanceof RpcError)) throw err;
      await this.record(username, 'antivirus.scan', deviceId, requestedAt, { ...detail, outcome: err.code });
      throw refusal(err, 'scan', device);
    }
    await this.record(username, 'antivirus.scan', deviceId, requestedAt, {
      ...detail,
      outcome: 'started',
      scanId: result.scanId,
    });
    this.logger.info('antivirus scan requested', { deviceId, by: username, scanId: result.scanId });
    return { deviceId, scanId: result.scanId, requestedAt };
  }

  async restore(deviceId: string, quarantineId: string, username: string): Promise<AntivirusRestoreResult> {
    if (!QUARANTINE_ID.test(quarantineId)) {
      throw ApiError.badRequest('the quarantine id has letters, digits, _ and - only (as the device reports it)');
    }
    const device = await this.devices.get(deviceId);
    const ts = this.clock.now().toISOString();
    let result: AntivirusRestoreResult;
    try {
      const answer = await this.rpc.call(
        deviceId,
        'antivirus.restore',
        { quarantineId, by: username },
        ANTIVIRUS_RPC_TIMEOUT_MS,
      );
      result = antivirusRestoreResultSchema.parse(answer);
    } catch (err) {
      if (!(err instanceof RpcError)) throw err;
      await this.record(username, 'antivirus.restore', deviceId, ts, { quarantineId, outcome: err.code });
      throw refusal(err, 'restore', device);
    }
    await this.record(username, 'antivirus.restore', deviceId, ts, {
      quarantineId,
      outcome: 'restored',
      path: result.path,
    });
    this.logger.info('quarantined file restored', { deviceId, by: username, quarantineId });
    return result;
  }

  private record(actor: string, action: string, target: string, ts: string, detail: Record<string, unknown>) {
    return this.audit.record({ ts, actor, action, target, detail });
  }
}

function refusal(
  err: RpcError,
  what: 'scan' | 'restore',
  device: { hostname: string; lastSeenAt: string | null; agentVersion: string | null },
): ApiError {
  const { hostname } = device;
  switch (err.code) {
    case 'offline':
      return ApiError.conflict(
        `${hostname} is offline${device.lastSeenAt ? ` (last seen ${device.lastSeenAt})` : ''}: try again when it is connected`,
        'DEVICE_OFFLINE',
      );
    case 'busy':
      return ApiError.conflict(`${hostname} is already scanning: ${err.message}`, 'SCAN_RUNNING');
    case 'not-found':
      return ApiError.notFound(`${hostname}: ${err.message}`);
    case 'conflict':
      return ApiError.conflict(`${hostname}: ${err.message}`, 'RESTORE_CONFLICT');
    case 'invalid-params':
      return ApiError.badRequest(`${hostname} refused the request: ${err.message}`);
    case 'unknown-method':
      return ApiError.conflict(
        `the agent on ${hostname} (${device.agentVersion ?? 'unknown version'}) has no antivirus ${what}; update it`,
        'AGENT_TOO_OLD',
      );
    case 'no-answer':
    case 'expired':
      return new ApiError(503, `${hostname} did not answer in time; try again`, { code: 'DEVICE_NO_ANSWER' });
    default:
      return new ApiError(502, `${hostname} could not ${what}: ${err.message}`, { code: 'DEVICE_ERROR' });
  }
}
