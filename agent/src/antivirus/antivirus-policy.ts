import { FieldError, type FieldIssue, FieldReader } from '../validation/field-reader.js';

/**
 * Where `apply` leaves the hub's `antivirus` policy for the daemon (scheduler, scans), in the state
 * directory. The daemon reads it at each minute tick and at each scan, so a new revision applies to the
 * next scan; the `antivirus scan` command of the dispatcher script reads it too.
 */
export const ANTIVIRUS_POLICY_FILE = 'config/antivirus.json';

export const SCAN_WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type ScanWeekday = (typeof SCAN_WEEKDAYS)[number];

export interface ScanSchedule {
  paths: string[];
  days: ScanWeekday[];
  /** `HH:MM`, local time; a window ending before it starts runs across midnight. */
  windowStart: string;
  windowEnd: string;
}

/** What the daemon needs of `antivirusSettingsSchema` (protocol/src/antivirus.ts), defaults filled in. */
export interface AntivirusPolicy {
  schedules: ScanSchedule[];
  exclusions: string[];
  action: 'report' | 'quarantine';
  onlyOnMainsPower: boolean;
  lowPriority: boolean;
  maxFileSizeMiB: number;
  scanBeforeVpn: boolean;
}

/** Scans with no policy (an on-demand scan before any antivirus policy): report only, /home. */
export const DEFAULT_ANTIVIRUS_POLICY: AntivirusPolicy = {
  schedules: [],
  exclusions: [],
  action: 'report',
  onlyOnMainsPower: true,
  lowPriority: true,
  maxFileSizeMiB: 100,
  scanBeforeVpn: false,
};

/** The file's content: one text for one meaning, so `apply` can compare it with what is there. */
export function formatAntivirusPolicy(p: AntivirusPolicy): string {
  const { schedules, exclusions, action, onlyOnMainsPower, lowPriority, maxFileSizeMiB, scanBeforeVpn } = p;
  const plain = schedules.map(({ paths, days, windowStart, windowEnd }) => ({ paths, days, windowStart, windowEnd }));
  return `${JSON.stringify(
    { schedules: plain, exclusions, action, onlyOnMainsPower, lowPriority, maxFileSizeMiB, scanBeforeVpn },
    null,
    2,
  )}\n`;
}

const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * The file checked by hand (the daemon does not load zod): the apply child wrote it after zod checked
 * the policy, so this guards against a file edited by hand. Throws a FieldError naming each bad field,
 * or a SyntaxError for text that is not JSON.
 */
export function parseAntivirusPolicy(text: string): AntivirusPolicy {
  const raw = JSON.parse(text) as unknown;
  const r = new FieldReader(raw);
  const record = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  const policy: AntivirusPolicy = {
    schedules: [],
    exclusions: stringList(record.exclusions, 'exclusions', issues, (s) => s.length > 0),
    action: r.oneOf('action', ['report', 'quarantine'] as const, 'quarantine'),
    onlyOnMainsPower: r.boolean('onlyOnMainsPower', { default: true }),
    lowPriority: r.boolean('lowPriority', { default: true }),
    maxFileSizeMiB: r.number('maxFileSizeMiB', { integer: true, min: 1, max: 4096, default: 100 }),
    scanBeforeVpn: r.boolean('scanBeforeVpn', { default: false }),
  };
  const schedules = record.schedules ?? [];
  if (!Array.isArray(schedules)) issues.push({ path: 'schedules', message: 'expected an array' });
  else {
    schedules.forEach((s, i) => {
      const at = `schedules.${i}`;
      const sr = new FieldReader(s);
      const item = (typeof s === 'object' && s !== null ? s : {}) as Record<string, unknown>;
      const schedule: ScanSchedule = {
        paths: stringList(item.paths, `${at}.paths`, issues, (p) => p.startsWith('/')),
        days: stringList(item.days ?? [...SCAN_WEEKDAYS], `${at}.days`, issues, (d) =>
          (SCAN_WEEKDAYS as readonly string[]).includes(d),
        ) as ScanWeekday[],
        windowStart: sr.string('windowStart', {
          pattern: CLOCK_TIME,
          patternMessage: 'expected HH:MM',
          default: '12:00',
        }),
        windowEnd: sr.string('windowEnd', { pattern: CLOCK_TIME, patternMessage: 'expected HH:MM', default: '14:00' }),
      };
      try {
        sr.done();
      } catch (err) {
        if (!(err instanceof FieldError)) throw err;
        for (const issue of err.issues) issues.push({ path: `${at}.${issue.path}`, message: issue.message });
      }
      if (schedule.paths.length === 0 && !issues.some((i) => i.path === `${at}.paths`)) {
        issues.push({ path: `${at}.paths`, message: 'expected at least one path' });
      }
      policy.schedules.push(schedule);
    });
  }
  try {
    r.done();
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    issues.unshift(...err.issues.filter((i) => i.path !== 'schedules' && i.path !== 'exclusions'));
  }
  if (issues.length > 0) throw new FieldError(issues);
  return policy;
}

function stringList(value: unknown, path: string, issues: FieldIssue[], ok: (s: string) => boolean): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && ok(v))) {
    issues.push({ path, message: 'expected a list of valid strings' });
    return [];
  }
  return value as string[];
}
