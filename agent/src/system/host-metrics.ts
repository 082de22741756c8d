import { readFileSync, statfsSync } from 'node:fs';
import { availableParallelism, freemem, loadavg, totalmem, uptime } from 'node:os';

export interface MountEntry {
  device: string;
  mount: string;
  fs: string;
}

export interface FsUsage {
  sizeBytes: number;
  usedBytes: number;
}

/**
 * Cheap host readings for the heartbeat: node:os, /proc and statfs only, no process spawned and no
 * systeminformation loaded, to keep the daemon's steady cost near zero.
 */
export interface HostMetrics {
  loadAverage(): [number, number, number];
  cpuCount(): number;
  memory(): { totalBytes: number; availableBytes: number; swapTotalBytes: number; swapFreeBytes: number };
  uptimeSeconds(): number;
  mounts(): MountEntry[];
  usage(mount: string): FsUsage;
}

export class LinuxHostMetrics implements HostMetrics {
  loadAverage(): [number, number, number] {
    const [a = 0, b = 0, c = 0] = loadavg();
    return [a, b, c];
  }

  cpuCount(): number {
    return availableParallelism();
  }

  memory() {
    const info = parseMeminfo(readFileSync('/proc/meminfo', 'utf8'));
    return {
      totalBytes: info.MemTotal ?? totalmem(),
      availableBytes: info.MemAvailable ?? freemem(),
      swapTotalBytes: info.SwapTotal ?? 0,
      swapFreeBytes: info.SwapFree ?? 0,
    };
  }

  uptimeSeconds(): number {
    return uptime();
  }

  mounts(): MountEntry[] {
    return parseMounts(readFileSync('/proc/mounts', 'utf8'));
  }

  usage(mount: string): FsUsage {
    const st = statfsSync(mount);
    const sizeBytes = st.blocks * st.bsize;
    // Used as df counts it: what is not free, reserved blocks included.
    return { sizeBytes, usedBytes: sizeBytes - st.bfree * st.bsize };
  }
}

/** `/proc/meminfo` values in bytes, by key. */
export function parseMeminfo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+)(?:\s+kB)?/.exec(line);
    if (m?.[1] && m[2]) out[m[1]] = Number(m[2]) * (line.includes('kB') ? 1024 : 1);
  }
  return out;
}

/** `/proc/mounts` lines, with the octal escapes (`\040` for a space) decoded. */
export function parseMounts(text: string): MountEntry[] {
  const decodeOctal = (s: string) =>
    s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const [device, mount, fs] = line.split(' ');
    if (device && mount && fs) out.push({ device: decodeOctal(device), mount: decodeOctal(mount), fs });
  }
  return out;
}
