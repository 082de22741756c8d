import type { InventorySectionData } from '@bascule/protocol';
import type { Clock } from '../core/clock.js';
import type { DeviceService } from '../devices/device.service.js';
import type { GlpiInventory } from './glpi-inventory.js';
import { toGlpiInventory } from './glpi-mapper.js';

/** A device's stored inventory (the last good data of each section) in GLPI's format. */
export class GlpiExportService {
  constructor(
    private readonly devices: DeviceService,
    private readonly clock: Clock,
  ) {}

  async export(deviceId: string): Promise<GlpiInventory> {
    const device = await this.devices.get(deviceId);
    const inventory = await this.devices.inventory(deviceId);
    const sections: Partial<InventorySectionData> = {};
    let updatedAt: string | undefined;
    for (const [name, s] of Object.entries(inventory)) {
      // The hub checked each section against the protocol when it stored it.
      if (s.data !== undefined) Object.assign(sections, { [name]: s.data });
      if (!updatedAt || s.updatedAt > updatedAt) updatedAt = s.updatedAt;
    }
    return toGlpiInventory({ device, sections, updatedAt }, this.clock.now());
  }
}
