/**
 * Hostile values for the fuzzing harness (test/e2e/hostile-fuzz.test.ts): a seeded generator, strings
 * that have broken other systems (SQL, path traversal, format strings, Unicode tricks), and mutations of
 * a valid message (a leaf replaced, a key removed, a wrong type, deep nesting, truncation).
 * Everything is a pure function of the seed, so a failing case can be replayed from its number.
 */

/** mulberry32: small, fast, good enough to pick cases. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

export const HOSTILE_STRINGS: readonly string[] = [
  "' OR '1'='1",
  "'; DROP TABLE devices; --",
  '" OR ""="',
  "1' UNION SELECT secret_hash, 1 FROM devices --",
  "admin'--",
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fshadow',
  '....//....//etc/passwd',
  '/etc/bascule/../../root/.ssh/id_rsa',
  'C:\\Windows\\System32\\config\\SAM',
  'file\u0000.txt',
  '%s%s%s%n%n',
  '$\u007bjndi:ldap://127.0.0.1/a}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '\u202egnp.exe',
  'e\u0301cole', // NFD "école"
  '\ud800',
  '🇫🇷🚀',
  '\r\nSet-Cookie: bascule_session=x',
  '__proto__',
  'constructor',
  '',
  ' ',
  '-1',
  'NaN',
  '1e309',
  '0x7fffffff',
];

/** Values of every JSON type, including ones no schema expects. */
export function hostileValue(rng: Rng): unknown {
  switch (rng.int(12)) {
    case 0:
      return rng.pick(HOSTILE_STRINGS);
    case 1:
      return 'x'.repeat(rng.pick([257, 4_097, 70_000]));
    case 2:
      return rng.pick([-1, 0, 1.5, -0, 2 ** 53 + 1, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER]);
    case 3:
      return rng.pick([true, false, null]);
    case 4:
      return [];
    case 5:
      return {};
    case 6:
      return Array.from({ length: rng.pick([2, 1_001, 12_000]) }, () => 0);
    case 7:
      return { __proto__: { admin: true }, constructor: { prototype: { polluted: true } } };
    case 8:
      return JSON.parse('{"__proto__": {"polluted": true}}');
    case 9:
      return nested(rng.pick([64, 1_000, 3_000]));
    case 10:
      return rng.bytes(rng.int(64)).toString('latin1');
    default:
      return rng.pick(HOSTILE_STRINGS).repeat(rng.int(50) + 1);
  }
}

/** `depth` arrays inside each other. */
export function nested(depth: number): unknown {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** A deep structure written as text directly (JSON.stringify would recurse as deep). */
export function deepJsonText(depth: number): string {
  return `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`;
}

/** Paths (`a.b.0.c`) to the nodes of a JSON value, down to 32 levels and 5,000 nodes (hostile values nest deeper). */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (prefix.length >= 32 || out.length >= 5_000) return out;
  if (Array.isArray(value)) for (const [i, v] of value.entries()) paths(v, [...prefix, i], out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

/** A deep copy of `valid` with one to three changes: a value replaced, a key dropped or one added. */
export function mutate(valid: unknown, rng: Rng): unknown {
  const copy = structuredClone(valid) as Record<string, unknown>;
  const changes = 1 + rng.int(3);
  let root: unknown = copy;
  for (let c = 0; c < changes; c++) {
    const all = paths(root);
    const target = rng.pick(all);
    if (target.length === 0) {
      root = hostileValue(rng);
      continue;
    }
    let parent = root as Record<string | number, unknown>;
    for (const key of target.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const last = target[target.length - 1] as string | number;
    if (parent === null || typeof parent !== 'object') continue;
    const op = rng.int(4);
    if (op === 0 && !Array.isArray(parent)) delete parent[last];
    else if (op === 1 && !Array.isArray(parent)) parent[rng.pick(HOSTILE_STRINGS)] = hostileValue(rng);
    else parent[last] = hostileValue(rng);
  }
  return root;
}

/**
 * One payload for a topic or a request body, from a valid example. The heavy kinds (a body over the
 * 1 MiB limits, nesting 20,000 deep) are rare so that 100,000 cases stay within CI's time.
 */
export function hostilePayload(valid: unknown, rng: Rng): { kind: string; body: Buffer } {
  const text = JSON.stringify(valid);
  if (rng.int(500) === 0) return { kind: 'oversized', body: Buffer.from(`{"pad":"${'A'.repeat(1_100_000)}"}`) };
  if (rng.int(200) === 0) return { kind: 'very deep nesting', body: Buffer.from(deepJsonText(20_000)) };
  switch (rng.int(10)) {
    case 0:
      return { kind: 'random bytes', body: rng.bytes(rng.int(2_048)) };
    case 1:
      return { kind: 'truncated', body: Buffer.from(text.slice(0, Math.max(0, rng.int(text.length)))) };
    case 2:
      return { kind: 'deep nesting', body: Buffer.from(deepJsonText(rng.pick([64, 500, 2_000]))) };
    case 3:
      return { kind: 'not an object', body: Buffer.from(rng.pick(['null', '42', '"x"', '[]', 'true', '', ' '])) };
    case 4:
      return {
        kind: 'invalid UTF-8',
        body: Buffer.concat([Buffer.from(text.slice(0, 20)), Buffer.from([0xc3, 0x28, 0xff])]),
      };
    default:
      return { kind: 'mutated', body: Buffer.from(JSON.stringify(mutate(valid, rng)) ?? 'null') };
  }
}
