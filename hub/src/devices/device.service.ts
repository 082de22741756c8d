import type { HealthSample } from '@bascule/protocol';
import type { MeteredSetting } from '../database/schema.js';
import { ApiError } from '../http/http-errors.js';
import type { DeviceListQuery, DeviceRepository, DeviceRow } from './device.repository.js';

/** A device as the REST API shows it (docs/rest-api.md). */
export interface DeviceView {
  id: string;
  hostname: string;
  department: string;
  online: boolean;
  os: string | null;
  kernel: string | null;
  model: string | null;
  serial: string;
  macs: string[];
  agentVersion: string | null;
  enrolledAt: string;
  lastSeenAt: string | null;
  cloneOf: string | null;
  lastHeartbeat: HealthSample | null;
  /** Metered mode set on the hub: `auto` leaves it to the agent; `on` / `off` force it. */
  metered: MeteredSetting;
}

export function toDeviceView(d: DeviceRow): DeviceView {
  return {
    id: d.id,
    hostname: d.hostname,
    department: d.department,
    online: d.online === 1,
    os: d.os,
    kernel: d.kernel,
    model: d.model,
    serial: d.serial,
    macs: JSON.parse(d.macs) as string[],
    agentVersion: d.agent_version,
    enrolledAt: d.enrolled_at,
    lastSeenAt: d.last_seen_at,
    cloneOf: d.clone_of,
    lastHeartbeat: d.last_heartbeat ? (JSON.parse(d.last_heartbeat) as HealthSample) : null,
    metered: d.metered,
  };
}

/** Per section: the last good data, and the error of the latest collection when it failed. */
export type InventoryView = Record<string, { data?: unknown; hash?: string; error?: string; updatedAt: string }>;

export class DeviceService {
  constructor(private readonly devices: DeviceRepository) {}

  async list(q: DeviceListQuery) {
    const { rows, total } = await this.devices.list(q);
    return { rows: rows.map(toDeviceView), total };
  }

  async get(id: string): Promise<DeviceView> {
    const d = await this.devices.findById(id);
    if (!d) throw ApiError.notFound(`no device ${id}`);
    return toDeviceView(d);
  }

  async inventory(id: string): Promise<InventoryView> {
    await this.get(id);
    const out: InventoryView = {};
    for (const s of await this.devices.inventory(id)) {
      out[s.section] = {
        ...(s.data !== null ? { data: JSON.parse(s.data), hash: s.hash ?? '' } : {}),
        ...(s.error !== null ? { error: s.error } : {}),
        updatedAt: s.updated_at,
      };
    }
    return out;
  }

  departments() {
    return this.devices.departments();
  }
}
