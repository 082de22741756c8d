import type { AntivirusSection } from '@bascule/protocol';
import { type ClamavVersion, parseClamavVersion, parseCvdHeader } from './clamav-parser.js';
import { optionalOutput } from './command-output.js';
import type { InventoryDeps } from './inventory-deps.js';

const TIMEOUT_MS = 20_000;
const CLAMAV_DB = '/var/lib/clamav';
const CLAMD_SOCKETS = ['/run/clamav/clamd.ctl', '/var/run/clamav/clamd.ctl'];

/**
 * ClamAV, the antivirus Bascule deploys: engine version from `clamscan --version`, signatures from
 * its output or, when it prints none, from the header of the daily database freshclam keeps.
 * No ClamAV: no product.
 */
export async function collectAntivirus(deps: InventoryDeps): Promise<AntivirusSection> {
  const out = await optionalOutput(deps.runner, 'clamscan', ['--version'], TIMEOUT_MS);
  const daemon = (await Promise.all(CLAMD_SOCKETS.map((s) => deps.files.modifiedAt(s)))).some(Boolean);
  const db = await databaseVersion(deps);
  if (out === undefined && !db && !daemon) return { products: [] };
  const engine: Partial<ClamavVersion> = out === undefined ? {} : parseClamavVersion(out);
  // The newest of what clamscan says and what the database file says.
  const fromDb = db && (!engine.signatureVersion || Number(db.signatureVersion) > Number(engine.signatureVersion));
  return {
    products: [
      {
        name: 'ClamAV',
        ...(engine.version ? { version: engine.version } : {}),
        ...(fromDb ? db : {}),
        ...(!fromDb && engine.signatureVersion ? { signatureVersion: engine.signatureVersion } : {}),
        ...(!fromDb && engine.signatureDate ? { signatureDate: engine.signatureDate } : {}),
        daemon,
      },
    ],
  };
}

async function databaseVersion(deps: InventoryDeps) {
  for (const file of ['daily.cld', 'daily.cvd']) {
    const head = await deps.files.readHead(`${CLAMAV_DB}/${file}`, 512);
    const parsed = head ? parseCvdHeader(head) : undefined;
    if (parsed) return parsed;
  }
  return undefined;
}
