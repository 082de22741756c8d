import path from 'node:path';

/** Every command takes `--data DIR`; the default is the packaged location. */
export const DEFAULT_DATA_DIR = '/var/lib/bascule-hub';

export function resolveDataDir(value: string | undefined): string {
  return path.resolve(value ?? process.env.BASCULE_HUB_DATA ?? DEFAULT_DATA_DIR);
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`invalid port "${value}"`);
  return n;
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a whole number ≥ 1, got "${value}"`);
  return n;
}
