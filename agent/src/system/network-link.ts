import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandNotFoundError, type CommandRunner } from './command-runner.js';

/** What the metered policy needs to know about the machine's way out. */
export interface NetworkLink {
  /** The interface of the IPv4 default route with the lowest metric, or undefined when there is none. */
  defaultInterface(): string | undefined;
  /** True when `iface` is a mobile broadband modem (NetworkManager type gsm/wwan/cdma, or sysfs DEVTYPE=wwan). */
  isMobile(iface: string): Promise<boolean>;
}

const MOBILE_NM_TYPES = new Set(['gsm', 'cdma', 'wwan', 'modem']);

export class LinuxNetworkLink implements NetworkLink {
  /** @param root `/` on a machine; a fixture tree in tests. */
  constructor(
    private readonly runner: CommandRunner,
    private readonly root = '/',
  ) {}

  defaultInterface(): string | undefined {
    return parseDefaultRoute(readFileSync(join(this.root, 'proc/net/route'), 'utf8'));
  }

  async isMobile(iface: string): Promise<boolean> {
    // A modem's data interface (cdc_mbim, qmi_wwan) says so in its uevent; cheap, no process.
    try {
      const uevent = readFileSync(join(this.root, 'sys/class/net', iface, 'uevent'), 'utf8');
      if (/^DEVTYPE=wwan$/m.test(uevent)) return true;
    } catch {
      // ppp0 of a serial modem has no uevent DEVTYPE: NetworkManager knows
    }
    try {
      const r = await this.runner.run('nmcli', ['-t', '-f', 'DEVICE,TYPE,STATE', 'device'], { timeout: 5_000 });
      if (r.exitCode !== 0) return false;
      return isMobileRoute(iface, parseNmcliDevices(r.stdout));
    } catch (err) {
      if (err instanceof CommandNotFoundError) return false;
      throw err;
    }
  }
}

/**
 * NetworkManager lists a modem by its control device (`cdc-wdm0`, `ttyUSB2`), not by the interface that
 * carries the route (`wwan0`, `ppp0`): a route through an interface NetworkManager lists is mobile when
 * that device is; through one it does not list, when a modem is connected.
 */
export function isMobileRoute(iface: string, devices: { device: string; type: string; state: string }[]): boolean {
  const listed = devices.find((d) => d.device === iface);
  if (listed) return MOBILE_NM_TYPES.has(listed.type);
  return devices.some((d) => MOBILE_NM_TYPES.has(d.type) && d.state.startsWith('connected'));
}

/** `/proc/net/route`: the default route (destination 0, mask 0, flag UP) with the lowest metric. */
export function parseDefaultRoute(text: string): string | undefined {
  let best: { iface: string; metric: number } | undefined;
  for (const line of text.split('\n').slice(1)) {
    const [iface, dest, , flags, , , metric, mask] = line.trim().split(/\s+/);
    if (!iface || dest !== '00000000' || mask !== '00000000') continue;
    if ((Number.parseInt(flags ?? '0', 16) & 1) === 0) continue;
    const m = Number(metric);
    if (!best || m < best.metric) best = { iface, metric: m };
  }
  return best?.iface;
}

/** `nmcli -t -f DEVICE,TYPE,STATE device`: colon-separated, `\:` escapes a colon in a name. */
export function parseNmcliDevices(text: string): { device: string; type: string; state: string }[] {
  const out: { device: string; type: string; state: string }[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const fields = line.split(/(?<!\\):/).map((f) => f.replace(/\\:/g, ':'));
    const [device, type, state] = fields;
    if (device && type) out.push({ device, type, state: state ?? '' });
  }
  return out;
}
