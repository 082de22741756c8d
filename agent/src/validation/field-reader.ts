/**
 * Small hand-written checks for the agent's own files and flags. The daemon must not load zod (about
 * 14 MiB of its 64 MiB budget), so the records it reads at run time — settings, identity, runtime
 * status — are checked here instead. Each check names the field and says what was expected.
 */

/** One problem with one field; `path` is the field name, or `(root)` for the record itself. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** `a: expected …; b: must be …` — the form every caller puts in its own message. */
export function formatIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

/** Thrown by {@link FieldReader.done} with every issue found, not just the first. */
export class FieldError extends Error {
  override name = 'FieldError';
  constructor(readonly issues: readonly FieldIssue[]) {
    super(formatIssues(issues));
  }
}

export interface StringRules {
  /** Shortest length accepted (1 refuses the empty string). */
  minLength?: number;
  pattern?: RegExp;
  /** Said when `pattern` does not match. */
  patternMessage?: string;
  includes?: string;
  /** Used when the field is absent (undefined); a default is not checked. */
  default?: string;
}

export interface NumberRules {
  integer?: boolean;
  min?: number;
  max?: number;
  /** Strictly above zero. */
  positive?: boolean;
  default?: number;
}

// RFC 3339 with seconds and `Z` or an offset, as the agent writes with Date#toISOString.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/**
 * Reads the fields of one JSON object, recording an issue for each one that is missing or wrong.
 * Getters return a placeholder after an issue; call {@link done} before using any value.
 */
export class FieldReader {
  private readonly issues: FieldIssue[] = [];
  private readonly record: Readonly<Record<string, unknown>>;

  constructor(value: unknown) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      this.record = value as Record<string, unknown>;
    } else {
      this.record = {};
      this.issues.push({ path: '(root)', message: `expected an object, got ${describe(value)}` });
    }
  }

  string(key: string, rules: StringRules = {}): string {
    const value = this.record[key];
    if (value === undefined && rules.default !== undefined) return rules.default;
    if (typeof value !== 'string') return this.fail(key, `expected a string, got ${describe(value)}`, '');
    const min = rules.minLength ?? 0;
    if (value.length < min) {
      return this.fail(key, min === 1 ? 'must not be empty' : `must be at least ${min} characters long`, value);
    }
    if (rules.pattern && !rules.pattern.test(value)) {
      return this.fail(key, rules.patternMessage ?? `must match ${rules.pattern}`, value);
    }
    if (rules.includes !== undefined && !value.includes(rules.includes)) {
      return this.fail(key, `must contain "${rules.includes}"`, value);
    }
    return value;
  }

  /** A string or null (never absent). */
  nullableString(key: string): string | null {
    if (this.record[key] === null) return null;
    const value = this.record[key];
    if (typeof value !== 'string') return this.fail(key, `expected a string or null, got ${describe(value)}`, null);
    return value;
  }

  /** An absolute URL, as `new URL()` accepts it. */
  url(key: string): string {
    const value = this.string(key);
    if (typeof this.record[key] === 'string' && !URL.canParse(value)) return this.fail(key, 'expected a URL', value);
    return value;
  }

  /** An ISO 8601 / RFC 3339 date-time with seconds and `Z` or an offset, on a day that exists. */
  dateTime(key: string): string {
    const value = this.string(key);
    if (typeof this.record[key] !== 'string') return value;
    const m = DATE_TIME.exec(value);
    if (!m || !dayExists(Number(m[1]), Number(m[2]), Number(m[3]))) {
      return this.fail(key, 'expected an ISO 8601 date-time such as 2026-01-01T00:00:00.000Z', value);
    }
    return value;
  }

  number(key: string, rules: NumberRules = {}): number {
    const value = this.record[key];
    if (value === undefined && rules.default !== undefined) return rules.default;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return this.fail(key, `expected a number, got ${describe(value)}`, 0);
    }
    if (rules.integer && !Number.isInteger(value)) return this.fail(key, `expected an integer, got ${value}`, value);
    if (rules.positive && value <= 0) return this.fail(key, `must be greater than 0, got ${value}`, value);
    if (rules.min !== undefined && value < rules.min) {
      return this.fail(key, `must be at least ${rules.min}, got ${value}`, value);
    }
    if (rules.max !== undefined && value > rules.max) {
      return this.fail(key, `must be at most ${rules.max}, got ${value}`, value);
    }
    return value;
  }

  boolean(key: string, rules: { default?: boolean } = {}): boolean {
    const value = this.record[key];
    if (value === undefined && rules.default !== undefined) return rules.default;
    if (typeof value !== 'boolean') return this.fail(key, `expected true or false, got ${describe(value)}`, false);
    return value;
  }

  /** One of a fixed set of strings. */
  oneOf<T extends string>(key: string, allowed: readonly T[], fallback?: T): T {
    const value = this.record[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    return this.fail(key, `must be one of ${allowed.join(', ')}, got ${show(value)}`, allowed[0] as T);
  }

  /** An absent field (undefined), or a non-empty array of strings each checked by `rules`. */
  optionalStrings(key: string, rules: StringRules = {}): string[] | undefined {
    const value = this.record[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.length === 0) {
      return this.fail(key, `expected a non-empty list of strings, got ${describe(value)}`, undefined);
    }
    const items = new FieldReader(Object.fromEntries(value.map((v, i) => [String(i), v])));
    const out = value.map((_, i) => items.string(String(i), rules));
    for (const issue of items.issues) this.issues.push({ path: `${key}[${issue.path}]`, message: issue.message });
    return out;
  }

  /** Exactly `expected` (a format version, say). */
  literal<T extends string | number | boolean>(key: string, expected: T): T {
    const value = this.record[key];
    if (value !== expected) return this.fail(key, `expected ${JSON.stringify(expected)}, got ${show(value)}`, expected);
    return expected;
  }

  /** Throws a {@link FieldError} listing every issue found so far. */
  done(): void {
    if (this.issues.length > 0) throw new FieldError([...this.issues]);
  }

  private fail<T>(path: string, message: string, placeholder: T): T {
    this.issues.push({ path, message });
    return placeholder;
  }
}

function dayExists(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The type of a bad value, never the value itself: it may be a secret in the wrong field. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isFinite(value) ? 'a number' : String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A bad value shown as such when it is a short string or a number (fields with a fixed set of values). */
function show(value: unknown): string {
  if (typeof value === 'string' && value.length <= 40) return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return describe(value);
}
