import { readFileSync } from 'node:fs';

/** LANG from /etc/default/locale (Debian's system locale), or undefined when it says nothing. */
export function readSystemLang(path = '/etc/default/locale'): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    // No system locale file (minimal images): the caller falls back to the agent's own LANG.
    return undefined;
  }
  for (const line of text.split('\n')) {
    const m = /^\s*LANG\s*=\s*["']?([A-Za-z0-9_.@-]+)["']?\s*$/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}
