// Placeholders that firmware and systeminformation use for "unknown".
const UNKNOWN = new Set(['', '-', 'unknown', 'not specified', 'to be filled by o.e.m.', 'default string', 'none']);

/** A trimmed value, or undefined when the firmware only filled in a placeholder. */
export function text(value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const s = String(value).trim();
  return UNKNOWN.has(s.toLowerCase()) ? undefined : s.slice(0, 4096);
}
