import { describe, expect, it } from 'vitest';
import { FieldError, FieldReader } from './field-reader.js';

/** The issues a reader collected, as `path: message` strings. */
function issuesOf(read: (r: FieldReader) => void, value: unknown): string[] {
  const r = new FieldReader(value);
  read(r);
  try {
    r.done();
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(FieldError);
    return (err as FieldError).issues.map((i) => `${i.path}: ${i.message}`);
  }
}

describe('FieldReader', () => {
  it('refuses a value that is not an object', () => {
    for (const value of [null, 'x', 3, []]) {
      expect(issuesOf(() => {}, value)).toEqual([expect.stringMatching(/^\(root\): expected an object/)]);
    }
  });

  it('returns valid fields and reports every bad one, by name, in one error', () => {
    const r = new FieldReader({ a: 'ok', b: 2, c: true, d: null });
    expect(r.string('a', { minLength: 1 })).toBe('ok');
    expect(r.number('b', { integer: true, min: 1, max: 2 })).toBe(2);
    expect(r.boolean('c')).toBe(true);
    expect(r.nullableString('d')).toBeNull();
    expect(() => r.done()).not.toThrow();

    const issues = issuesOf(
      (x) => {
        x.string('a');
        x.number('b');
        x.boolean('c');
      },
      { a: 1, b: '2' },
    );
    expect(issues).toEqual([
      'a: expected a string, got a number',
      'b: expected a number, got a string',
      'c: expected true or false, got nothing',
    ]);
  });

  it('applies defaults only to absent fields, not to wrong ones', () => {
    const r = new FieldReader({ given: 5 });
    expect(r.number('missing', { default: 60 })).toBe(60);
    expect(r.string('name', { default: 'x' })).toBe('x');
    expect(r.oneOf('level', ['a', 'b'], 'b')).toBe('b');
    expect(r.number('given', { default: 60 })).toBe(5);
    expect(() => r.done()).not.toThrow();
    expect(issuesOf((x) => x.number('n', { default: 60 }), { n: null })).toEqual(['n: expected a number, got null']);
  });

  it('checks string rules', () => {
    expect(issuesOf((x) => x.string('s', { minLength: 1 }), { s: '' })).toEqual(['s: must not be empty']);
    expect(issuesOf((x) => x.string('s', { pattern: /^a/, patternMessage: 'starts with a' }), { s: 'b' })).toEqual([
      's: starts with a',
    ]);
    expect(issuesOf((x) => x.string('s', { includes: 'BEGIN' }), { s: 'nope' })).toEqual(['s: must contain "BEGIN"']);
  });

  it('checks number rules: finite, integer, positive, bounds', () => {
    const check = (value: unknown) =>
      issuesOf((x) => x.number('n', { integer: true, positive: true, min: 1, max: 10 }), { n: value });
    expect(check(Number.NaN)).toEqual(['n: expected a number, got NaN']);
    expect(check(Number.POSITIVE_INFINITY)).toEqual(['n: expected a number, got Infinity']);
    expect(check(1.5)).toEqual(['n: expected an integer, got 1.5']);
    expect(check(0)).toEqual(['n: must be greater than 0, got 0']);
    expect(check(11)).toEqual(['n: must be at most 10, got 11']);
    expect(issuesOf((x) => x.number('n', { min: 10 }), { n: 9 })).toEqual(['n: must be at least 10, got 9']);
    expect(check(10)).toEqual([]);
  });

  it('checks URLs, date-times, enums and literals', () => {
    expect(issuesOf((x) => x.url('u'), { u: 'https://hub.example:8443' })).toEqual([]);
    expect(issuesOf((x) => x.url('u'), { u: 'not a url' })).toEqual(['u: expected a URL']);
    for (const ok of ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00Z', '2024-02-29T23:59:59+02:00']) {
      expect(issuesOf((x) => x.dateTime('t'), { t: ok })).toEqual([]);
    }
    for (const bad of ['2026-01-01', '2026-02-30T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:00Z', 'soon']) {
      expect(issuesOf((x) => x.dateTime('t'), { t: bad })).toEqual([expect.stringMatching(/^t: expected an ISO 8601/)]);
    }
    expect(issuesOf((x) => x.oneOf('l', ['info', 'warn']), { l: 'verbose' })).toEqual([
      'l: must be one of info, warn, got "verbose"',
    ]);
    expect(issuesOf((x) => x.literal('v', 1), { v: 2 })).toEqual(['v: expected 1, got 2']);
  });

  it('never echoes a wrongly typed value, which may be a secret', () => {
    const [issue] = issuesOf((x) => x.string('secret'), { secret: 123456789 });
    expect(issue).toBe('secret: expected a string, got a number');
  });
});
