import { readFileSync } from 'node:fs';
import { inventorySectionSchemas } from '@bascule/protocol';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { toGlpiInventory } from './glpi-mapper.js';
import { SAMPLE_SECTIONS } from './glpi-sample-inventory.js';

const schema = JSON.parse(readFileSync(new URL('./schema/inventory.schema.json', import.meta.url), 'utf8'));
// GLPI's schema uses `format: ipv4`; without ajv-formats Ajv would refuse to compile unknown formats.
const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);

describe("GLPI export against GLPI's published schema (draft-07)", () => {
  it('the sample is a valid Bascule inventory (so the test maps what agents really send)', () => {
    for (const [name, data] of Object.entries(SAMPLE_SECTIONS)) {
      const r = inventorySectionSchemas[name as keyof typeof inventorySectionSchemas].safeParse(data);
      expect(r.error?.issues ?? [], name).toEqual([]);
    }
  });

  it('validates a full desktop inventory, every section filled', () => {
    const device = {
      id: '01JD0EV1CE00000000000000AB',
      hostname: 'accueil-01',
      agentVersion: '0.1.0',
      enrolledAt: '2026-11-01T10:00:00.000Z',
    };
    const glpi = toGlpiInventory(
      { device, sections: SAMPLE_SECTIONS, updatedAt: '2026-11-25T11:58:00.000Z' },
      new Date(),
    );
    const ok = validate(glpi);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // Every part the issue asks for is present.
    for (const key of [
      'antivirus',
      'printers',
      'modems',
      'simcards',
      'local_users',
      'softwares',
      'monitors',
      'batteries',
    ]) {
      expect(glpi.content, key).toHaveProperty(key);
    }
  });

  it('validates a device that sent nothing yet', () => {
    const device = { id: 'x', hostname: 'new-pc', agentVersion: null, enrolledAt: '2026-11-01T10:00:00.000Z' };
    expect(validate(toGlpiInventory({ device, sections: {}, updatedAt: undefined }, new Date()))).toBe(true);
  });

  it('would catch an invalid document (control)', () => {
    expect(validate({ deviceid: 'x', content: { hardware: { memory: 'lots' } } })).toBe(false);
  });
});
