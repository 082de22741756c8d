/** freshclam.conf's `PrivateMirror` (the last one, as freshclam tries them in order), or undefined. */
export function privateMirrorOf(text: string): string | undefined {
  const mirrors = directives(text, 'PrivateMirror');
  return mirrors.at(-1);
}

/** freshclam.conf's `Checks`, or undefined. */
export function checksOf(text: string): number | undefined {
  const v = directives(text, 'Checks').at(-1);
  return v === undefined ? undefined : Number(v);
}

/**
 * freshclam.conf with the policy's signature source: every `PrivateMirror` line replaced by the mirror
 * (or removed without one), `Checks` set. Every other line, comments included, is kept as it was, so
 * an edit of the file by the package (a new Debian release) or by hand outside these two is left alone.
 */
export function withSignatureSource(text: string, mirrorUrl: string | undefined, checksPerDay: number): string {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const out: string[] = [];
  let checksSet = false;
  for (const line of lines) {
    const name = directiveName(line);
    if (name === 'PrivateMirror') continue;
    if (name === 'Checks') {
      if (!checksSet) out.push(`Checks ${checksPerDay}`);
      checksSet = true;
      continue;
    }
    out.push(line);
  }
  if (!checksSet) out.push(`Checks ${checksPerDay}`);
  if (mirrorUrl !== undefined) out.push(`PrivateMirror ${mirrorUrl}`);
  return `${out.join('\n')}\n`;
}

function directiveName(line: string): string | undefined {
  const m = /^\s*([A-Za-z]+)(\s|$)/.exec(line);
  return m?.[1];
}

function directives(text: string, name: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z]+)\s+(.*?)\s*$/.exec(line);
    if (m && m[1] === name) out.push(m[2] as string);
  }
  return out;
}
