import type { InventorySectionName } from '@bascule/protocol';
import simpleRestProvider from 'ra-data-simple-rest';
import type { DataProvider, Identifier } from 'react-admin';
import type { Device, MeteredSetting } from '../devices/device.js';
import type { GlpiStatus } from '../glpi/glpi-status.js';
import { withGroupMembers } from '../groups/group-data-provider.js';
import { withPolicyResources } from '../policies/policy-data-provider.js';
import { withRegistryResources } from '../registry/registry-api.js';
import { API_URL, httpClient } from './http-client.js';

/**
 * One inventory section as the hub keeps it: the last good `data` (absent if collection never
 * succeeded), and `error` when the latest collection failed on the device.
 */
export interface InventorySection<T> {
  data?: T;
  hash?: string;
  error?: string;
  updatedAt: string;
}

/** `GET /devices/{id}/inventory`: sections the device has not sent yet are absent. */
export type Inventory = Partial<Record<InventorySectionName, InventorySection<unknown>>>;

/** `GET /devices/{id}/health?range=…` (docs/rest-api.md). Percentages are 0–100. */
export interface HealthPoint {
  /** The sample's time, or the start of the hour for roll-ups. */
  ts: string;
  samples: number;
  load1: number;
  load1Max: number;
  memUsedPct: number;
  memUsedPctMax: number;
  swapUsedPctMax: number;
  /** The fullest real file system. */
  diskUsedPctMax: number | null;
  /** Each mount point's use (the hour's maximum for roll-ups); empty in roll-ups older than the hub's 0020 migration. */
  disks: Record<string, number>;
  tempMaxC: number | null;
  batteryPctMin: number | null;
}

export type HealthRange = '24h' | '7d' | '1y';

export interface HealthSeries {
  deviceId: string;
  range: HealthRange;
  resolution: 'raw' | 'hour';
  from: string;
  to: string;
  points: HealthPoint[];
}

/** `GET /fleet/overview`: counted by the hub's database, only displayed here. */
export interface FleetOverview {
  generatedAt: string;
  devices: { total: number; online: number; offline: number };
  byOs: { os: string | null; count: number }[];
  byModel: { model: string | null; count: number }[];
  byDepartment: { department: string; count: number; online: number }[];
  alertsByType: { type: string; open: number; acknowledged: number; devices: number }[];
}

export interface BasculeDataProvider extends DataProvider {
  getInventory(deviceId: Identifier): Promise<Inventory>;
  /** The inventory in GLPI's native JSON, as text (downloaded as is). */
  getGlpiInventory(deviceId: Identifier): Promise<string>;
  getHealth(deviceId: Identifier, range: HealthRange): Promise<HealthSeries>;
  getFleetOverview(): Promise<FleetOverview>;
  acknowledgeAlert(alertId: Identifier): Promise<unknown>;
  getGlpiStatus(): Promise<GlpiStatus>;
  /** `PATCH /devices/{id}`: metered mode set on the hub for this device. */
  setMetered(deviceId: Identifier, metered: MeteredSetting): Promise<Device>;
}

const device = (id: Identifier) => `${API_URL}/devices/${encodeURIComponent(String(id))}`;

// Groups keep their members behind their own routes; the forms edit them as one `deviceIds` field.
const rest = withRegistryResources(withPolicyResources(withGroupMembers(simpleRestProvider(API_URL, httpClient))));

export const dataProvider: BasculeDataProvider = {
  ...rest,
  async getInventory(deviceId) {
    const { json } = await httpClient(`${device(deviceId)}/inventory`);
    return json as Inventory;
  },
  async getGlpiInventory(deviceId) {
    const { body } = await httpClient(`${device(deviceId)}/glpi`);
    return body;
  },
  async getHealth(deviceId, range) {
    const { json } = await httpClient(`${device(deviceId)}/health?range=${range}`);
    return json as HealthSeries;
  },
  async getFleetOverview() {
    const { json } = await httpClient(`${API_URL}/fleet/overview`);
    return json as FleetOverview;
  },
  async setMetered(deviceId, metered) {
    const { json } = await httpClient(device(deviceId), { method: 'PATCH', body: JSON.stringify({ metered }) });
    return json as Device;
  },
  async getGlpiStatus() {
    const { json } = await httpClient(`${API_URL}/glpi/status`);
    return json as GlpiStatus;
  },
  async acknowledgeAlert(alertId) {
    const { json } = await httpClient(`${API_URL}/alerts/${encodeURIComponent(String(alertId))}/acknowledge`, {
      method: 'POST',
    });
    return json;
  },
};
