import type { InventoryRefreshResult } from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { ApiError } from '../http/http-errors.js';
import { RpcError, type RpcService } from '../rpc/rpc.service.js';
import type { DeviceService } from './device.service.js';

/** How long the agent has to acknowledge the request (the inventory itself follows on `inventory`). */
export const REFRESH_TIMEOUT_MS = 15_000;

export interface InventoryRefreshView {
  deviceId: string;
  requestedAt: string;
  /** True on a metered link: the full inventory waits for a fixed line. */
  deferred: boolean;
}

/** `POST devices/{id}/inventory/refresh`: asks a connected agent for a full inventory now. */
export class InventoryRefreshService {
  constructor(
    private readonly devices: DeviceService,
    private readonly rpc: Pick<RpcService, 'call'>,
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async refresh(deviceId: string, username: string): Promise<InventoryRefreshView> {
    const device = await this.devices.get(deviceId);
    const requestedAt = this.clock.now().toISOString();
    let result: InventoryRefreshResult;
    try {
      result = (await this.rpc.call(deviceId, 'inventory.refresh', {}, REFRESH_TIMEOUT_MS)) as InventoryRefreshResult;
    } catch (err) {
      if (!(err instanceof RpcError)) throw err;
      await this.record(username, deviceId, requestedAt, { outcome: err.code });
      throw refusal(err, device.hostname, device.lastSeenAt, device.agentVersion);
    }
    const deferred = result?.deferred === true;
    await this.record(username, deviceId, requestedAt, { outcome: 'requested', deferred });
    this.logger.info('inventory refresh requested', { deviceId, by: username, deferred });
    return { deviceId, requestedAt, deferred };
  }

  private record(actor: string, target: string, ts: string, detail: Record<string, unknown>) {
    return this.audit.record({ ts, actor, action: 'inventory.refresh', target, detail });
  }
}

function refusal(err: RpcError, hostname: string, lastSeenAt: string | null, agentVersion: string | null): ApiError {
  switch (err.code) {
    case 'offline':
      return ApiError.conflict(
        `${hostname} is offline${lastSeenAt ? ` (last seen ${lastSeenAt})` : ''}: it sends a full inventory when it comes back`,
        'DEVICE_OFFLINE',
      );
    case 'unknown-method':
      return ApiError.conflict(
        `the agent on ${hostname} (${agentVersion ?? 'unknown version'}) cannot refresh on request; update it, or wait for its daily inventory`,
        'AGENT_TOO_OLD',
      );
    case 'no-answer':
    case 'expired':
      return new ApiError(503, `${hostname} did not answer in time; try again`, { code: 'DEVICE_NO_ANSWER' });
    default:
      return new ApiError(502, `${hostname} refused the refresh: ${err.message}`, { code: 'DEVICE_ERROR' });
  }
}
