import type { InventorySections } from '@bascule/protocol';
import { INVENTORY_SECTIONS } from '@bascule/protocol/runtime';

/** Per section, what identifies its content: the data hash, or the error text for a failed section. */
export type SectionFingerprints = Partial<Record<(typeof INVENTORY_SECTIONS)[number], string>>;

export function fingerprints(sections: InventorySections): SectionFingerprints {
  const out: SectionFingerprints = {};
  for (const name of INVENTORY_SECTIONS) {
    const s = sections[name];
    if (s) out[name] = 'hash' in s ? s.hash : `error:${s.error}`;
  }
  return out;
}

/** Only the sections that differ from `previous`; empty when nothing changed. */
export function inventoryDelta(previous: SectionFingerprints, current: InventorySections): InventorySections {
  const now = fingerprints(current);
  const delta: InventorySections = {};
  for (const name of INVENTORY_SECTIONS) {
    const section = current[name];
    if (section && now[name] !== previous[name]) Object.assign(delta, { [name]: section });
  }
  return delta;
}
