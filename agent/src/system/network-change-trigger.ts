import { networkInterfaces } from 'node:os';
import type { Logger } from '../logging/logger.js';
import type { Clock, Timer } from './clock.js';
import type { ChangeTrigger } from './file-change-trigger.js';
import type { OsFiles } from './os-files.js';

/** The addresses and default route as one string: what the inventory's network section mostly shows. */
export type NetworkFingerprint = () => Promise<string>;

/**
 * Addresses from getifaddrs (os.networkInterfaces, no process) and the kernel's routing table: a few
 * microseconds, where collecting the network section spawns a dozen processes.
 */
export function linuxNetworkFingerprint(files: OsFiles): NetworkFingerprint {
  return async () => {
    const addresses = Object.entries(networkInterfaces())
      .map(([name, addrs]) => `${name}=${(addrs ?? []).map((a) => `${a.address}/${a.mac}`).join(',')}`)
      .sort();
    const routes = ((await files.readText('/proc/net/route')) ?? '')
      .split('\n')
      .filter((l) => /^\S+\s+00000000\s/.test(l))
      .sort();
    return JSON.stringify([addresses, routes]);
  };
}

/**
 * Calls `onChange` when the addresses or the default route changed since the last look (every
 * `everyMs`): a laptop moving from the office's cable to the town hall's Wi-Fi sends its network
 * section within a minute, without the network section being collected every minute.
 */
export class NetworkChangeTrigger implements ChangeTrigger {
  private timer: Timer | undefined;
  private last: string | undefined;
  private running = false;

  constructor(
    private readonly fingerprint: NetworkFingerprint,
    private readonly everyMs: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(onChange: () => void): void {
    this.running = true;
    void this.look(onChange);
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async look(onChange: () => void): Promise<void> {
    try {
      const now = await this.fingerprint();
      if (this.last !== undefined && now !== this.last) onChange();
      this.last = now;
    } catch (err) {
      // The hourly poll of the volatile sections still sees the change.
      this.logger.warn('inventory: network change not checked', { error: err as Error });
    }
    if (this.running) this.timer = this.clock.setTimeout(() => void this.look(onChange), this.everyMs);
  }
}
