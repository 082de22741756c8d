import { parseKeyValue } from './key-value.js';

export interface OsRelease {
  id?: string;
  name?: string;
  version?: string;
  prettyName?: string;
  codename?: string;
  /** Zorin OS edition (`Core`, `Pro`, `Lite`, `Education`), only on Zorin. */
  edition?: string;
}

// Longest first: "Pro Lite" before "Pro" and "Lite".
const ZORIN_EDITIONS = ['Pro Lite', 'Education Lite', 'Core', 'Pro', 'Lite', 'Education', 'Ultimate'];

/**
 * The distribution from /etc/os-release, and on Zorin OS its edition. Zorin writes the edition in
 * /etc/zorin-release when present, sometimes in os-release's VARIANT or PRETTY_NAME, or in
 * lsb-release's DISTRIB_DESCRIPTION; the first that names one wins.
 */
export function parseOsRelease(osRelease: string, zorinRelease?: string, lsbRelease?: string): OsRelease {
  const os = parseKeyValue(osRelease);
  const lsb = parseKeyValue(lsbRelease ?? '');
  const id = (os.get('ID') ?? lsb.get('DISTRIB_ID'))?.toLowerCase();
  const out: OsRelease = {};
  if (id) out.id = id;
  const name = os.get('NAME') ?? lsb.get('DISTRIB_ID');
  if (name) out.name = name;
  const version = os.get('VERSION_ID') ?? lsb.get('DISTRIB_RELEASE');
  if (version) out.version = version;
  const pretty = os.get('PRETTY_NAME') ?? lsb.get('DISTRIB_DESCRIPTION');
  if (pretty) out.prettyName = pretty;
  const codename = os.get('VERSION_CODENAME') ?? os.get('UBUNTU_CODENAME') ?? lsb.get('DISTRIB_CODENAME');
  if (codename) out.codename = codename;
  if (id === 'zorin') {
    const candidates = [zorinRelease, os.get('VARIANT'), pretty, lsb.get('DISTRIB_DESCRIPTION')];
    for (const text of candidates) {
      const edition = text && ZORIN_EDITIONS.find((e) => new RegExp(`\\b${e}\\b`, 'i').test(text));
      if (edition) {
        out.edition = edition;
        break;
      }
    }
  }
  return out;
}

/** `btime` of /proc/stat (seconds since the epoch at boot) as ISO 8601, or undefined. */
export function parseBootTime(procStat: string): string | undefined {
  const m = /^btime\s+(\d+)$/m.exec(procStat);
  return m ? new Date(Number(m[1]) * 1000).toISOString() : undefined;
}

/** The IANA zone from /etc/localtime's link target (`/usr/share/zoneinfo/Europe/Paris`) or /etc/timezone. */
export function parseTimezone(localtimeLink: string | undefined, etcTimezone: string | undefined): string | undefined {
  const m = localtimeLink ? /zoneinfo\/(.+)$/.exec(localtimeLink) : null;
  if (m?.[1] && !m[1].startsWith('posix/')) return m[1];
  if (m?.[1]) return m[1].slice('posix/'.length);
  const tz = etcTimezone?.trim().split('\n')[0]?.trim();
  return tz || undefined;
}

/** LANG (else LC_ALL, else LANGUAGE's first entry) from /etc/default/locale or /etc/locale.conf. */
export function parseLocale(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const kv = parseKeyValue(text);
  return kv.get('LANG') || kv.get('LC_ALL') || kv.get('LANGUAGE')?.split(':')[0] || undefined;
}
