import type { DomainSection } from '@bascule/protocol';
import { optionalOutput } from './command-output.js';
import type { InventoryDeps } from './inventory-deps.js';
import { parseRealmList } from './realm-parser.js';

const TIMEOUT_MS = 20_000;

/** Domain membership from `realm list`; no realmd: no realm. realmd failing (no D-Bus) fails the section. */
export async function collectDomain(deps: InventoryDeps): Promise<DomainSection> {
  const out = await optionalOutput(deps.runner, 'realm', ['list'], TIMEOUT_MS);
  return { realms: out === undefined ? [] : parseRealmList(out).slice(0, 16) };
}
