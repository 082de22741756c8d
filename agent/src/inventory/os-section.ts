import type { OsSection } from '@bascule/protocol';
import { type InventoryDeps, part } from './inventory-deps.js';
import { loginSessions } from './login-sessions.js';
import { desktopSessionType } from './loginctl-parser.js';
import { parseBootTime, parseLocale, parseOsRelease, parseTimezone } from './os-release-parser.js';
import { text } from './text.js';

export async function collectOs(deps: InventoryDeps): Promise<OsSection> {
  const { files } = deps;
  const [os, osReleaseText, zorinRelease, lsbRelease, procStat, localtime, etcTimezone, locale, sessions] =
    await Promise.all([
      deps.si.osInfo(),
      files.readText('/etc/os-release').then(async (t) => t ?? (await files.readText('/usr/lib/os-release'))),
      files.readText('/etc/zorin-release'),
      files.readText('/etc/lsb-release'),
      files.readText('/proc/stat'),
      files.readLink('/etc/localtime'),
      files.readText('/etc/timezone'),
      files.readText('/etc/default/locale').then(async (t) => t ?? (await files.readText('/etc/locale.conf'))),
      part(deps, 'sessions', () => loginSessions(deps.runner)),
    ]);
  const release = parseOsRelease(osReleaseText ?? '', zorinRelease, lsbRelease);
  const sessionType = sessions ? desktopSessionType(sessions) : undefined;
  const lastBoot = procStat ? parseBootTime(procStat) : undefined;
  const timezone = parseTimezone(localtime, etcTimezone);
  const lang = parseLocale(locale);
  return {
    platform: os.platform,
    distro: os.distro,
    release: os.release,
    codename: text(os.codename),
    kernel: os.kernel,
    arch: os.arch,
    hostname: os.hostname,
    fqdn: text(os.fqdn),
    ...(release.id ? { distroId: release.id } : {}),
    ...(release.edition ? { edition: release.edition } : {}),
    ...(sessionType ? { sessionType } : {}),
    ...(lastBoot ? { lastBoot } : {}),
    ...(timezone ? { timezone } : {}),
    ...(lang ? { locale: lang } : {}),
  };
}
