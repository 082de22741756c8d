/** `KEY=value` lines (os-release, lsb-release, uevent, loginctl show-*), quotes removed; other lines ignored. */
export function parseKeyValue(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let value = m[2] as string;
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) {
      value = value.slice(1, -1).replace(/\\(["'\\$`])/g, '$1');
    }
    out.set(m[1] as string, value);
  }
  return out;
}

/** An error for output that does not look like what the tool prints: the section reports it. */
export class UnreadableOutputError extends Error {
  override name = 'UnreadableOutputError';
  constructor(source: string, what: string, sample: string) {
    super(`${source}: ${what} (${JSON.stringify(sample.slice(0, 120))})`);
  }
}
