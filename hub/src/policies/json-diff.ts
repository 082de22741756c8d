/** One difference between two JSON documents; `path` is a JSON Pointer (RFC 6901). */
export type JsonChange =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'remove'; path: string; old: unknown }
  | { op: 'replace'; path: string; old: unknown; value: unknown };

const escapePointer = (key: string | number) => String(key).replace(/~/g, '~0').replace(/\//g, '~1');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What changed from `a` to `b`, deepest first level that differs. Arrays are compared position by
 * position (a printer inserted first shows as changes down the list: simple and predictable).
 */
export function jsonDiff(a: unknown, b: unknown, path = ''): JsonChange[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: JsonChange[] = [];
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const p = `${path}/${i}`;
      if (i >= a.length) out.push({ op: 'add', path: p, value: b[i] });
      else if (i >= b.length) out.push({ op: 'remove', path: p, old: a[i] });
      else out.push(...jsonDiff(a[i], b[i], p));
    }
    return out;
  }
  if (isObject(a) && isObject(b)) {
    const out: JsonChange[] = [];
    for (const key of Object.keys(a)) {
      const p = `${path}/${escapePointer(key)}`;
      if (!(key in b)) out.push({ op: 'remove', path: p, old: a[key] });
      else out.push(...jsonDiff(a[key], b[key], p));
    }
    for (const key of Object.keys(b)) {
      if (!(key in a)) out.push({ op: 'add', path: `${path}/${escapePointer(key)}`, value: b[key] });
    }
    return out;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  return [{ op: 'replace', path, old: a, value: b }];
}
