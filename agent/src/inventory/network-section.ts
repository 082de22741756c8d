import type { NetworkSection } from '@bascule/protocol';
import { optionalOutput } from './command-output.js';
import { parseIpRouteDefault, parseResolvConf, parseResolvectlDns } from './dns-parser.js';
import { type InventoryDeps, part } from './inventory-deps.js';
import { parseIwLink, parseNmcliWifi, type WifiLink } from './nmcli-parser.js';
import { text } from './text.js';

const TIMEOUT_MS = 10_000;

export async function collectNetwork(deps: InventoryDeps): Promise<NetworkSection> {
  const [interfaces, gateway, route, dns] = await Promise.all([
    deps.si.networkInterfaces(),
    deps.si.defaultGateway(),
    part(deps, 'default route', async () => {
      const out = await optionalOutput(deps.runner, 'ip', ['-j', 'route', 'show', 'default'], TIMEOUT_MS);
      return out === undefined ? undefined : parseIpRouteDefault(out);
    }),
    part(deps, 'dns', () => dnsServers(deps)),
  ]);
  const wireless = interfaces.filter((i) => i.type === 'wireless' && !i.internal).map((i) => i.iface);
  const wifi = wireless.length > 0 ? await part(deps, 'wifi', () => wifiLink(deps, wireless)) : undefined;
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
    defaultGateway: text(gateway) ?? route?.gateway,
    ...(route?.interface ? { defaultInterface: route.interface } : {}),
    ...(dns ? { dnsServers: dns.slice(0, 32) } : {}),
    ...(wifi ? { wifi } : {}),
  };
}

/** systemd-resolved's servers when it runs, else /etc/resolv.conf's. */
async function dnsServers(deps: InventoryDeps): Promise<string[]> {
  try {
    const out = await optionalOutput(deps.runner, 'resolvectl', ['dns'], TIMEOUT_MS);
    if (out !== undefined) return parseResolvectlDns(out);
  } catch (err) {
    // resolved not running (exit 1): resolv.conf then says what the resolver uses.
    deps.logger.debug('inventory: resolvectl dns failed, reading resolv.conf', { error: err as Error });
  }
  return parseResolvConf((await deps.files.readText('/etc/resolv.conf')) ?? '');
}

/** NetworkManager's view of the active Wi-Fi; `iw` where NetworkManager is absent. */
async function wifiLink(deps: InventoryDeps, wireless: string[]): Promise<WifiLink | undefined> {
  const nm = await optionalOutput(
    deps.runner,
    'nmcli',
    ['-t', '-f', 'ACTIVE,SSID,SIGNAL,FREQ,DEVICE', 'device', 'wifi', 'list', '--rescan', 'no'],
    TIMEOUT_MS,
  );
  if (nm !== undefined) return parseNmcliWifi(nm);
  for (const iface of wireless) {
    const out = await optionalOutput(deps.runner, 'iw', ['dev', iface, 'link'], TIMEOUT_MS);
    if (out === undefined) return undefined;
    const link = parseIwLink(iface, out);
    if (link) return link;
  }
  return undefined;
}
