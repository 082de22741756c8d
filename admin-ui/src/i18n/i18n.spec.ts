import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { fr } from './fr.js';

/** Every leaf of a nested message catalog, as dotted keys. */
function leafKeys(node: unknown, prefix = ''): string[] {
  if (typeof node !== 'object' || node === null) return [prefix];
  return Object.entries(node).flatMap(([key, value]) => leafKeys(value, prefix ? `${prefix}.${key}` : key));
}

/** The %{placeholders} a message uses, sorted. */
function placeholders(message: string): string[] {
  return [...message.matchAll(/%\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}

function get(catalog: object, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], catalog);
}

describe('i18n catalogs', () => {
  const frKeys = leafKeys(fr).sort();
  const enKeys = leafKeys(en).sort();

  it('French and English hold exactly the same keys', () => {
    expect(enKeys.filter((k) => !frKeys.includes(k))).toEqual([]);
    expect(frKeys.filter((k) => !enKeys.includes(k))).toEqual([]);
    expect(frKeys.length).toBeGreaterThan(50);
  });

  it('every message is a non-empty string', () => {
    for (const key of frKeys) {
      expect(typeof get(fr, key), key).toBe('string');
      expect((get(fr, key) as string).trim(), key).not.toBe('');
      expect((get(en, key) as string).trim(), key).not.toBe('');
    }
  });

  it('both languages use the same placeholders and plural forms', () => {
    for (const key of frKeys) {
      const f = get(fr, key) as string;
      const e = get(en, key) as string;
      expect(placeholders(e), key).toEqual(placeholders(f));
      expect(e.includes('||||'), key).toBe(f.includes('||||'));
    }
  });
});
