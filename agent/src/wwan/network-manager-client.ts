import { CommandFailedError, type CommandRunner } from '../system/command-runner.js';

/** The NetworkManager profile the `wwan-failover` module creates and the watcher brings up and down. */
export const WWAN_PROFILE = 'bascule-4g';

const TIMEOUT_MS = 15_000;
/** `nmcli connection up` waits for the link (a modem registers, gets a bearer): up to 90 s. */
const UP_TIMEOUT_MS = 100_000;

/** One device as `nmcli -t -f DEVICE,TYPE,STATE,IP4-CONNECTIVITY,CONNECTION device` lists it. */
export interface NmDevice {
  device: string;
  type: string;
  state: string;
  /** `full`, `limited`, `portal`, `none`, `unknown`: NetworkManager's connectivity check for this device. */
  connectivity: string;
  connection: string;
}

/** One IPv4 default route (`ip -j route show default`). */
export interface DefaultRoute {
  dev: string;
  metric: number;
}

/** `nmcli -t` splits fields with `:` and escapes a `:` or `\` inside a value with `\`. */
export function splitTerse(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) cur += line[++i];
    else if (c === ':') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** `nmcli -t -f a,b connection show ID`: one `field:value` line per field (the value unescaped as printed). */
export function parseNmcliFields(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

export function parseNmcliDeviceList(stdout: string): NmDevice[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [device = '', type = '', state = '', connectivity = '', connection = ''] = splitTerse(l);
      return { device, type, state, connectivity, connection };
    });
}

/** `ip -j route show default`, lowest metric first (a route without metric has 0). */
export function parseDefaultRoutes(stdout: string): DefaultRoute[] {
  const list = JSON.parse(stdout || '[]') as { dev?: string; metric?: number }[];
  if (!Array.isArray(list)) throw new Error(`ip -j route show default: not a JSON array: ${stdout.slice(0, 200)}`);
  return list
    .filter((r) => typeof r.dev === 'string')
    .map((r) => ({ dev: r.dev as string, metric: typeof r.metric === 'number' ? r.metric : 0 }))
    .sort((a, b) => a.metric - b.metric);
}

/** `ip -j -s link show dev IFACE`: the kernel's counters, the same as /sys/class/net/IFACE/statistics. */
export function parseLinkBytes(stdout: string): { rx: number; tx: number } | null {
  const list = JSON.parse(stdout || '[]') as { stats64?: { rx?: { bytes?: number }; tx?: { bytes?: number } } }[];
  const s = list[0]?.stats64;
  if (!s || typeof s.rx?.bytes !== 'number' || typeof s.tx?.bytes !== 'number') return null;
  return { rx: s.rx.bytes, tx: s.tx.bytes };
}

/**
 * NetworkManager through `nmcli` and the routing table through `ip`, for the module (profile) and the
 * daemon's watcher (connectivity, routes, up/down). Every call goes through the injected runner.
 */
export class NetworkManagerClient {
  constructor(private readonly runner: CommandRunner) {}

  /** The profile's fields, or null when there is no such profile (nmcli exits 10). */
  async profile(name: string, fields: readonly string[]): Promise<Map<string, string> | null> {
    const r = await this.runner.run('nmcli', ['-t', '-f', fields.join(','), 'connection', 'show', name], {
      timeout: TIMEOUT_MS,
    });
    if (r.exitCode === 10) return null;
    if (r.exitCode !== 0) throw new CommandFailedError(`nmcli connection show ${name}: ${r.stderr.trim()}`);
    return parseNmcliFields(r.stdout);
  }

  /** Runs nmcli; a non-zero exit throws with nmcli's own words. */
  async nmcli(args: readonly string[], timeout = TIMEOUT_MS): Promise<string> {
    const r = await this.runner.run('nmcli', args, { timeout });
    if (r.exitCode !== 0) {
      throw new CommandFailedError(`nmcli ${args.slice(0, 3).join(' ')}: ${(r.stderr || r.stdout).trim()}`);
    }
    return r.stdout;
  }

  async up(name: string): Promise<void> {
    await this.nmcli(['connection', 'up', name], UP_TIMEOUT_MS);
  }

  async down(name: string): Promise<void> {
    await this.nmcli(['connection', 'down', name]);
  }

  /** Runtime only (`nmcli device modify`): the profile keeps its metric; `reapply` puts it back. */
  async setRouteMetric(device: string, metric: number): Promise<void> {
    await this.nmcli(['device', 'modify', device, 'ipv4.route-metric', String(metric)]);
  }

  /** The device's settings from its profile again (undoes `setRouteMetric`). */
  async reapply(device: string): Promise<void> {
    await this.nmcli(['device', 'reapply', device]);
  }

  async devices(): Promise<NmDevice[]> {
    return parseNmcliDeviceList(
      await this.nmcli(['-t', '-f', 'DEVICE,TYPE,STATE,IP4-CONNECTIVITY,CONNECTION', 'device']),
    );
  }

  /** GENERAL.REASON of a device, e.g. `59 (SIM PIN is incorrect)`. */
  async deviceReason(device: string): Promise<string> {
    return (
      parseNmcliFields(await this.nmcli(['-t', '-f', 'GENERAL.REASON', 'device', 'show', device])).get(
        'GENERAL.REASON',
      ) ?? ''
    );
  }

  /** The interface that carries the IP traffic of a device (`wwan0` for the modem `cdc-wdm0`). */
  async ipInterface(device: string): Promise<string> {
    const f = parseNmcliFields(await this.nmcli(['-t', '-f', 'GENERAL.IP-IFACE', 'device', 'show', device]));
    return f.get('GENERAL.IP-IFACE') || device;
  }

  async defaultRoutes(): Promise<DefaultRoute[]> {
    const r = await this.runner.run('ip', ['-j', '-4', 'route', 'show', 'default'], { timeout: TIMEOUT_MS });
    if (r.exitCode !== 0) throw new CommandFailedError(`ip route show default: ${r.stderr.trim()}`);
    return parseDefaultRoutes(r.stdout);
  }

  /** Bytes received and sent on `iface`, null when it does not exist. */
  async linkBytes(iface: string): Promise<{ rx: number; tx: number } | null> {
    const r = await this.runner.run('ip', ['-j', '-s', 'link', 'show', 'dev', iface], { timeout: TIMEOUT_MS });
    if (r.exitCode !== 0) return null;
    return parseLinkBytes(r.stdout);
  }
}
