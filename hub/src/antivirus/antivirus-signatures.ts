import type { AntivirusSources } from './antivirus-status.repository.js';

/** ClamAV on a device, as its module reports it (`observed`), else as its inventory does. */
export interface AntivirusSignatures {
  /** Null when neither source says. */
  installed: boolean | null;
  engineVersion: string | null;
  signatureVersion: string | null;
  signatureDate: string | null;
  daemonRunning: boolean | null;
  mirrorUrl: string | null;
  /** Which source the signature facts come from. */
  source: 'module' | 'inventory' | null;
}

/**
 * Reads both sources defensively (an older agent's report may lack fields): the module's observed state
 * is the fresher one (sent with each apply), the inventory's ClamAV entry fills in what it lacks.
 */
export function antivirusSignatures(s: AntivirusSources): {
  signatures: AntivirusSignatures;
  /** Quarantined file sizes by quarantine id, from the module's report. */
  quarantineSizes: Map<string, number>;
} {
  const observed = objectOf(s.observed);
  const clam = arrayAt(s.inventory, 'products').find((p) => p.name === 'ClamAV');
  const sizes = new Map<string, number>();
  for (const q of arrayAt(observed, 'quarantine')) {
    if (typeof q.id === 'string' && typeof q.sizeBytes === 'number') sizes.set(q.id, q.sizeBytes);
  }
  const installed = typeof observed?.installed === 'boolean' ? observed.installed : clam ? true : null;
  return {
    signatures: {
      installed,
      engineVersion: stringOf(observed?.engineVersion) ?? stringOf(clam?.version),
      signatureVersion: stringOf(observed?.signatureVersion) ?? stringOf(clam?.signatureVersion),
      signatureDate: dateOf(observed?.signatureDate) ?? dateOf(clam?.signatureDate),
      daemonRunning:
        typeof observed?.daemonRunning === 'boolean'
          ? observed.daemonRunning
          : typeof clam?.daemon === 'boolean'
            ? clam.daemon
            : null,
      mirrorUrl: stringOf(observed?.mirrorUrl),
      source: observed ? 'module' : clam ? 'inventory' : null,
    },
    quarantineSizes: sizes,
  };
}

function stringOf(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function dateOf(v: unknown): string | null {
  return typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : null;
}

function objectOf(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function arrayAt(v: unknown, key: string): Record<string, unknown>[] {
  const a = objectOf(v)?.[key];
  return Array.isArray(a) ? a.map(objectOf).filter((x): x is Record<string, unknown> => x !== undefined) : [];
}
