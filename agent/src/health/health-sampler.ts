import type { DiskUsage, HealthSample } from '@bascule/protocol';
import type { Logger } from '../logging/logger.js';
import type { HostMetrics, MountEntry } from '../system/host-metrics.js';

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

export class HealthSampler {
  constructor(
    private readonly host: HostMetrics,
    private readonly logger: Logger,
  ) {}

  sample(now: Date): HealthSample {
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
    return {
      ts: now.toISOString(),
      load1,
      load5,
      load15,
      cpuCount: this.host.cpuCount(),
      memTotalBytes: mem.totalBytes,
      memUsedBytes: Math.max(0, mem.totalBytes - mem.availableBytes),
      swapTotalBytes: mem.swapTotalBytes,
      swapUsedBytes: Math.max(0, mem.swapTotalBytes - mem.swapFreeBytes),
      uptimeSeconds: this.host.uptimeSeconds(),
      disks,
    };
  }
}
