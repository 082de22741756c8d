/**
 * Password rules after NIST SP 800-63B §3.1.1.2: length over composition (at least 15 characters,
 * up to 256, any Unicode, spaces allowed), no composition rules, no forced rotation, and refusal of
 * passwords found on a blocklist of common or context-specific choices.
 */
export const MIN_PASSWORD_LENGTH = 15;
export const MAX_PASSWORD_LENGTH = 256;

/** Stable codes next to the English reasons, so the admin UI can say them in French. */
export type PasswordProblem =
  | 'PASSWORD_TOO_SHORT'
  | 'PASSWORD_TOO_LONG'
  | 'PASSWORD_REPETITIVE'
  | 'PASSWORD_CONTAINS_USERNAME'
  | 'PASSWORD_TOO_COMMON';

export type PasswordVerdict = { ok: true } | { ok: false; code: PasswordProblem; reason: string };

/** Normalised form used for hashing and comparison (NIST: apply Unicode NFKC). */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

export class PasswordPolicy {
  /** @param blocklist lower-case, NFKC-normalised entries */
  constructor(private readonly blocklist: ReadonlySet<string>) {}

  check(password: string, context: { username?: string } = {}): PasswordVerdict {
    const pw = normalizePassword(password);
    const length = [...pw].length; // code points, not UTF-16 units
    if (length < MIN_PASSWORD_LENGTH) {
      return {
        ok: false,
        code: 'PASSWORD_TOO_SHORT',
        reason: `the password must have at least ${MIN_PASSWORD_LENGTH} characters (it has ${length})`,
      };
    }
    if (length > MAX_PASSWORD_LENGTH) {
      return {
        ok: false,
        code: 'PASSWORD_TOO_LONG',
        reason: `the password must have at most ${MAX_PASSWORD_LENGTH} characters`,
      };
    }
    const lower = pw.toLowerCase();
    if (new Set(lower).size <= 2) {
      return {
        ok: false,
        code: 'PASSWORD_REPETITIVE',
        reason: 'the password repeats one or two characters: choose a phrase instead',
      };
    }
    const username = context.username?.normalize('NFKC').toLowerCase();
    if (username && username.length >= 3 && lower.includes(username)) {
      return { ok: false, code: 'PASSWORD_CONTAINS_USERNAME', reason: 'the password must not contain the user name' };
    }
    for (const candidate of variants(lower)) {
      if (this.blocklist.has(candidate)) {
        return {
          ok: false,
          code: 'PASSWORD_TOO_COMMON',
          reason: 'this password is too common (it is on the list of known passwords)',
        };
      }
    }
    return { ok: true };
  }
}

/**
 * The forms under which a common password hides in a long one: as typed, without spaces or
 * separators, without trailing digits/symbols, and one word repeated ("motdepassemotdepasse").
 */
function variants(lower: string): string[] {
  const out = new Set<string>([lower]);
  const compact = lower.replace(/[\s._-]+/g, '');
  out.add(compact);
  const stripped = compact.replace(/[\d\W_]+$/u, '');
  if (stripped.length >= 4) out.add(stripped);
  for (const s of [compact, stripped]) {
    for (let n = 1; n <= s.length / 2; n++) {
      if (s.length % n === 0 && s.slice(0, n).repeat(s.length / n) === s) {
        out.add(s.slice(0, n));
        break;
      }
    }
  }
  return [...out];
}

/** Parses the shipped blocklist file: one entry per line, `#` comments. */
export function parseBlocklist(text: string): Set<string> {
  const set = new Set<string>();
  for (const line of text.split('\n')) {
    const entry = line.trim();
    if (entry && !entry.startsWith('#')) set.add(entry.normalize('NFKC').toLowerCase());
  }
  return set;
}
