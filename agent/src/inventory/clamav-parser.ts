import { UnreadableOutputError } from './key-value.js';

export interface ClamavVersion {
  version: string;
  signatureVersion?: string;
  /** ISO 8601 (UTC). */
  signatureDate?: string;
}

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/**
 * `clamscan --version` / `clamdscan --version`: `ClamAV 1.0.7/27469/Mon Nov 24 09:31:07 2026`
 * (engine / daily signature version / its date), or `ClamAV 1.4.6` alone when no database is
 * installed yet.
 */
export function parseClamavVersion(stdout: string): ClamavVersion {
  const m = /^ClamAV (\S+?)(?:\/(\d+)\/(.+))?$/.exec(stdout.trim());
  if (!m) throw new UnreadableOutputError('clamscan --version', 'not "ClamAV VERSION[/SIGS/DATE]"', stdout);
  const date = m[3] ? parseCDate(m[3].trim()) : undefined;
  return {
    version: m[1] as string,
    ...(m[2] ? { signatureVersion: m[2] } : {}),
    ...(date ? { signatureDate: date } : {}),
  };
}

/** `Mon Nov 24 09:31:07 2026` (ClamAV prints the database's build time in UTC). */
function parseCDate(text: string): string | undefined {
  const m = /^\w{3} (\w{3}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})$/.exec(text);
  if (!m || MONTHS[m[1] as string] === undefined) return undefined;
  const [, mon, d, hh, mm, ss, y] = m as unknown as string[];
  return new Date(
    Date.UTC(Number(y), MONTHS[mon as string] as number, Number(d), Number(hh), Number(mm), Number(ss)),
  ).toISOString();
}

/**
 * The header of a ClamAV database file (daily.cvd / daily.cld, 512 bytes):
 * `ClamAV-VDB:24 Nov 2026 09-31 +0000:27469:2071322:90:…`. Read when clamscan is absent but the
 * signatures are there (clamd alone), and for the date when clamscan prints none.
 */
export function parseCvdHeader(header: Buffer): { signatureVersion: string; signatureDate?: string } | undefined {
  const text = header.toString('latin1', 0, Math.min(header.length, 512));
  const m = /^ClamAV-VDB:(\d{1,2}) (\w{3}) (\d{4}) (\d\d)-(\d\d) ([+-]\d{4}):(\d+):/.exec(text);
  if (!m) return undefined;
  const [, d, mon, y, hh, mm, tz, version] = m as unknown as string[];
  const month = MONTHS[mon as string];
  if (month === undefined) return { signatureVersion: version as string };
  const offsetMin =
    (Number((tz as string).slice(0, 3)) * 60 + Math.sign(Number(tz)) * Number((tz as string).slice(3))) | 0;
  const utc = Date.UTC(Number(y), month, Number(d), Number(hh), Number(mm)) - offsetMin * 60_000;
  return { signatureVersion: version as string, signatureDate: new Date(utc).toISOString() };
}
