import type { OsSection } from '@bascule/protocol';
import type { SystemInfo } from '../system/system-info.js';
import { text } from './text.js';

export async function collectOs(si: SystemInfo): Promise<OsSection> {
  const os = await si.osInfo();
  return {
    platform: os.platform,
    distro: os.distro,
    release: os.release,
    codename: text(os.codename),
    kernel: os.kernel,
    arch: os.arch,
    hostname: os.hostname,
    fqdn: text(os.fqdn),
  };
}
