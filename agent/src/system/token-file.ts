import { readFileSync } from 'node:fs';

/**
 * Reads an enrolment token from a file, so that it never appears in the process list. The file holds
 * either the token alone, or `key=value` lines with a `token=` line (the format of
 * `/etc/bascule/enroll.token` read by the package's postinst).
 */
export function readTokenFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the token file ${file}: ${(err as Error).message}`);
  }
  return parseTokenFile(text, file);
}

export function parseTokenFile(text: string, file: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const keyed = lines.find((l) => l.startsWith('token='));
  const token = keyed
    ? keyed.slice('token='.length).trim()
    : lines.length === 1 && !lines[0]?.includes('=')
      ? lines[0]
      : '';
  if (!token) throw new Error(`${file} holds no token: put the token alone, or a line token=…`);
  return token;
}
