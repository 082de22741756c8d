/** Pure: shared by the hub (which package to serve) and the agent (update or downgrade). */

/**
 * Debian version order (policy 5.6.12) without epochs, which our file names never carry: runs of
 * non-digits compared with `~` before everything and letters before other characters, then numbers.
 */
export function compareDebianVersions(a: string, b: string): number {
  const [ua = '', ra = '0'] = splitRevision(a);
  const [ub = '', rb = '0'] = splitRevision(b);
  return compareParts(ua, ub) || compareParts(ra, rb);
}

function splitRevision(v: string): [string, string] {
  const dash = v.lastIndexOf('-');
  return dash < 0 ? [v, '0'] : [v.slice(0, dash), v.slice(dash + 1)];
}

function order(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

function compareParts(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !/\d/.test(a[i] as string)) || (j < b.length && !/\d/.test(b[j] as string))) {
      const ca = i < a.length && !/\d/.test(a[i] as string) ? a[i] : undefined;
      const cb = j < b.length && !/\d/.test(b[j] as string) ? b[j] : undefined;
      const d = order(ca) - order(cb);
      if (d !== 0) return d;
      if (ca !== undefined) i++;
      if (cb !== undefined) j++;
    }
    let na = '';
    let nb = '';
    while (i < a.length && /\d/.test(a[i] as string)) na += a[i++];
    while (j < b.length && /\d/.test(b[j] as string)) nb += b[j++];
    const d = Number(na || '0') - Number(nb || '0');
    if (d !== 0) return d;
  }
  return 0;
}
