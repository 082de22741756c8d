import type { InventorySectionName } from '@bascule/protocol';
import simpleRestProvider from 'ra-data-simple-rest';
import type { DataProvider, Identifier } from 'react-admin';
import { withGroupMembers } from '../groups/group-data-provider.js';
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

export interface BasculeDataProvider extends DataProvider {
  getInventory(deviceId: Identifier): Promise<Inventory>;
}

// Groups keep their members behind their own routes; the forms edit them as one `deviceIds` field.
const rest = withGroupMembers(simpleRestProvider(API_URL, httpClient));

export const dataProvider: BasculeDataProvider = {
  ...rest,
  async getInventory(deviceId) {
    const { json } = await httpClient(`${API_URL}/devices/${encodeURIComponent(String(deviceId))}/inventory`);
    return json as Inventory;
  },
};
