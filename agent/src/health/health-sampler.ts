import type { DiskUsage, HealthSample } from '@bascule/protocol';
import type { Logger } from '../logging/logger.js';
import type { HostMetrics, MountEntry } from '../system/host-metrics.js';
import type { Sensors } from '../system/sensors.js';

// File systems that hold user or system data; tmpfs, squashfs (snaps), overlay layers and the like do not.
const REAL_FS = new Set([
  'ext2',
  'ext3',
  'ext4',
  'xfs',
  'btrfs',
  'vfat',
  'exfat',
  'ntfs',
  'ntfs3',
  'fuseblk',
  'f2fs',
  'zfs',
  'jfs',
  'reiserfs',
  'bcachefs',
]);

/** Mounts worth reporting: real file systems, each device once (btrfs subvolumes share one), `/` always. */
export function realMounts(mounts: readonly MountEntry[]): MountEntry[] {
  const seen = new Set<string>();
  const out: MountEntry[] = [];
  for (const m of mounts) {
    if (m.mount !== '/' && (!REAL_FS.has(m.fs) || m.mount.startsWith('/snap/'))) continue;
    if (seen.has(m.device) && m.mount !== '/') continue;
    seen.add(m.device);
    out.push(m);
  }
  return out.slice(0, 256);
}

/** What the sampler cannot read from a file: failed units come from systemctl (a process). */
export interface UnitSource {
  failed(): Promise<string[] | undefined>;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export class HealthSampler {
  constructor(
    private readonly host: HostMetrics,
    private readonly sensors: Sensors,
    private readonly units: UnitSource,
    private readonly logger: Logger,
  ) {}

  async sample(now: Date): Promise<HealthSample> {
    const [load1, load5, load15] = this.host.loadAverage();
    const mem = this.host.memory();
    const disks: DiskUsage[] = [];
    for (const m of realMounts(this.host.mounts())) {
      try {
        disks.push({ mount: m.mount, fs: m.fs, ...this.host.usage(m.mount) });
      } catch (err) {
        // A mount that vanished or hangs (stale network share) must not cost the heartbeat.
        this.logger.debug('health: mount skipped', { mount: m.mount, error: err as Error });
      }
    }
    const sample: HealthSample = {
      ts: now.toISOString(),
      // Two decimals and whole seconds: what a chart shows, and fewer bytes on a 4G line.
      load1: round2(load1),
      load5: round2(load5),
      load15: round2(load15),
      cpuCount: this.host.cpuCount(),
      memTotalBytes: mem.totalBytes,
      memUsedBytes: Math.max(0, mem.totalBytes - mem.availableBytes),
      swapTotalBytes: mem.swapTotalBytes,
      swapUsedBytes: Math.max(0, mem.swapTotalBytes - mem.swapFreeBytes),
      uptimeSeconds: Math.round(this.host.uptimeSeconds()),
      disks,
    };
    const temperatures = this.optional('temperatures', () => this.sensors.temperatures());
    if (temperatures?.length) sample.temperatures = temperatures;
    const battery = this.optional('battery', () => this.sensors.battery());
    if (battery) sample.battery = battery;
    try {
      const failed = await this.units.failed();
      if (failed) sample.failedUnits = failed;
    } catch (err) {
      this.logger.warn('health: failed units not read', { error: err as Error });
    }
    return sample;
  }

  /** A sensor that errors costs only its own field. */
  private optional<T>(what: string, read: () => T): T | undefined {
    try {
      return read();
    } catch (err) {
      this.logger.warn(`health: ${what} not read`, { error: err as Error });
      return undefined;
    }
  }
}
