import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { MeteredSetting } from '../database/schema.js';
import { ApiError } from '../http/http-errors.js';
import type { DeviceRepository } from './device.repository.js';
import { type DeviceService, type DeviceView, toDeviceView } from './device.service.js';

const METERED_SETTINGS: readonly MeteredSetting[] = ['auto', 'on', 'off'];

/** The body of `PATCH devices/{id}`, or a 400 that says what is accepted. */
export function parseDevicePatch(body: unknown): { metered: MeteredSetting } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ApiError.badRequest('expected a JSON object such as {"metered": "on"}');
  }
  const unknown = Object.keys(body).filter((k) => k !== 'metered');
  if (unknown.length > 0) {
    throw ApiError.badRequest(`"${unknown[0]}" cannot be changed here: only "metered" can`);
  }
  const metered = (body as { metered?: unknown }).metered;
  if (typeof metered !== 'string' || !(METERED_SETTINGS as readonly string[]).includes(metered)) {
    throw ApiError.badRequest(
      `metered must be "auto" (the agent detects a mobile modem), "on" or "off", got ${JSON.stringify(metered ?? null)}`,
    );
  }
  return { metered: metered as MeteredSetting };
}

/**
 * `PATCH devices/{id}`: the hub's word on metered mode for one device. Stored on the device, audited,
 * and sent to the agent in the `agent` section of its config (a new config revision).
 */
export class DeviceMeteredService {
  constructor(
    private readonly repository: Pick<DeviceRepository, 'setMetered' | 'findById'>,
    private readonly devices: Pick<DeviceService, 'get'>,
    private readonly configs: { recompute(): Promise<unknown> },
    private readonly audit: Pick<AuditRepository, 'record'>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async patch(deviceId: string, body: unknown, username: string): Promise<DeviceView> {
    const { metered } = parseDevicePatch(body);
    const before = await this.devices.get(deviceId);
    if (before.metered !== metered) {
      if (!(await this.repository.setMetered(deviceId, metered))) throw ApiError.notFound(`no device ${deviceId}`);
      await this.audit.record({
        ts: this.clock.now().toISOString(),
        actor: username,
        action: 'device.metered',
        target: deviceId,
        detail: { from: before.metered, to: metered },
      });
      this.logger.info('metered mode set on the hub', { deviceId, metered, by: username });
      await this.configs.recompute();
    }
    const row = await this.repository.findById(deviceId);
    if (!row) throw ApiError.notFound(`no device ${deviceId}`);
    return toDeviceView(row);
  }
}
