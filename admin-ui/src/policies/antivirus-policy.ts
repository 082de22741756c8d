/**
 * The `antivirus` policy in the form (protocol/src/antivirus.ts): its defaults, the document the hub
 * takes, and the form's own checks (the hub checks again; these say it in the UI's language first).
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const ANTIVIRUS_DEFAULTS = {
  signatures: { checksPerDay: 12 },
  daemon: false,
  schedules: [],
  exclusions: [],
  action: 'quarantine',
  onlyOnMainsPower: true,
  lowPriority: true,
  scanBeforeVpn: false,
  maxFileSizeMiB: 100,
};

const k = (key: string) => `bascule.policies.antivirus.errors.${key}`;

/** The mirror: `http://` or `https://`, a host, an optional path; empty means the public mirrors. */
export function validateMirrorUrl(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return /^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(String(value)) ? undefined : k('mirror_url');
}

/** Absolute paths without `..`, at least one (a scheduled scan that scans nothing is a mistake). */
export function validatePaths(value: unknown): string | undefined {
  const list = Array.isArray(value) ? value.filter((p) => p !== '') : [];
  if (list.length === 0) return k('paths_required');
  for (const p of list) {
    if (typeof p !== 'string' || !p.startsWith('/')) return k('absolute_path');
    if (p.split('/').includes('..')) return k('dot_dot');
  }
  return undefined;
}

export function validateDays(value: unknown): string | undefined {
  return Array.isArray(value) && value.length > 0 ? undefined : k('days_required');
}

/** `HH:MM` on a 24-hour clock. */
export function validateClockTime(value: unknown): string | undefined {
  return typeof value === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(value) ? undefined : k('clock_time');
}

/** Exclusions are ClamAV's regular expressions: one that does not compile would fail every scan. */
export function validateExclusions(value: unknown): string | undefined {
  for (const p of Array.isArray(value) ? value : []) {
    try {
      new RegExp(String(p));
    } catch {
      return k('exclusion_regex');
    }
  }
  return undefined;
}

/** The module's fields only, each schedule with its four fields. */
export function antivirusDocument(doc: Record<string, unknown>): Record<string, unknown> {
  const {
    signatures,
    daemon,
    schedules,
    exclusions,
    action,
    onlyOnMainsPower,
    lowPriority,
    scanBeforeVpn,
    maxFileSizeMiB,
  } = doc;
  const s = (signatures ?? {}) as { mirrorUrl?: unknown; checksPerDay?: unknown };
  return {
    signatures: {
      ...(s.mirrorUrl !== undefined ? { mirrorUrl: s.mirrorUrl } : {}),
      ...(s.checksPerDay !== undefined ? { checksPerDay: s.checksPerDay } : {}),
    },
    ...(daemon !== undefined ? { daemon } : {}),
    schedules: (Array.isArray(schedules) ? schedules : []).map((x: Record<string, unknown>) => {
      const { paths, days, windowStart, windowEnd } = x ?? {};
      return {
        paths: Array.isArray(paths) ? paths : [],
        ...(days !== undefined ? { days } : {}),
        ...(windowStart !== undefined ? { windowStart } : {}),
        ...(windowEnd !== undefined ? { windowEnd } : {}),
      };
    }),
    exclusions: Array.isArray(exclusions) ? exclusions : [],
    ...(action !== undefined ? { action } : {}),
    ...(onlyOnMainsPower !== undefined ? { onlyOnMainsPower } : {}),
    ...(lowPriority !== undefined ? { lowPriority } : {}),
    ...(scanBeforeVpn !== undefined ? { scanBeforeVpn } : {}),
    ...(maxFileSizeMiB !== undefined ? { maxFileSizeMiB } : {}),
  };
}
