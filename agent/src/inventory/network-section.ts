import type { NetworkSection } from '@bascule/protocol';
import type { SystemInfo } from '../system/system-info.js';
import { text } from './text.js';

export async function collectNetwork(si: SystemInfo): Promise<NetworkSection> {
  const [interfaces, gateway] = await Promise.all([si.networkInterfaces(), si.defaultGateway()]);
  return {
    interfaces: interfaces
      .filter((i) => !i.internal)
      .slice(0, 256)
      .map((i) => ({
        name: i.iface,
        mac: text(i.mac),
        ipv4: i.ip4 ? [i.ip4] : [],
        // Link-local addresses change nothing for the helpdesk and only add noise to deltas.
        ipv6: i.ip6 && !i.ip6.toLowerCase().startsWith('fe80') ? [i.ip6] : [],
        type: text(i.type),
        // systeminformation gives -1 or null when the link speed is unknown (virtual NICs, Wi-Fi).
        speedMbps: typeof i.speed === 'number' && i.speed >= 0 ? i.speed : null,
        up: i.operstate === 'up',
        virtual: i.virtual,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    defaultGateway: text(gateway),
  };
}
