import { describe, expect, it } from 'vitest';
import {
  columnKey,
  glpiMapping,
  importProgressPct,
  mappingIsUsable,
  sameMapping,
  setColumn,
} from './registry-mapping.js';

describe('import column mapping', () => {
  it('compares column names without case, accents or extra spaces', () => {
    expect(columnKey('  Numéro   de SÉRIE ')).toBe('numero de serie');
    expect(columnKey('Système d’exploitation - Nom')).toBe("systeme d'exploitation - nom");
  });

  it('maps a French GLPI export with the preset, and only the columns the file has', () => {
    const columns = ['Nom', 'Entité', 'Numéro de série', 'Utilisateur', "Système d'exploitation - Nom", 'Lieu'];
    expect(glpiMapping(columns)).toEqual({
      hostname: 'Nom',
      serial: 'Numéro de série',
      department: 'Entité',
      mainUser: 'Utilisateur',
      os: "Système d'exploitation - Nom",
    });
    expect(glpiMapping(['Name', 'Serial number', 'Network ports - MAC', 'Entity'])).toEqual({
      hostname: 'Name',
      serial: 'Serial number',
      macs: 'Network ports - MAC',
      department: 'Entity',
    });
  });

  it('gives a column to one field at most, and clears a field with an empty choice', () => {
    const m = setColumn({ hostname: 'Nom', serial: 'Série' }, 'mainUser', 'Nom');
    expect(m).toEqual({ serial: 'Série', mainUser: 'Nom' });
    expect(setColumn(m, 'serial', '')).toEqual({ mainUser: 'Nom' });
  });

  it('needs a serial or a hostname', () => {
    expect(mappingIsUsable({ department: 'Service' })).toBe(false);
    expect(mappingIsUsable({ serial: 'SN' })).toBe(true);
    expect(mappingIsUsable({ hostname: 'Nom' })).toBe(true);
  });

  it('compares mappings field by field', () => {
    expect(sameMapping({ serial: 'a', hostname: 'b' }, { hostname: 'b', serial: 'a' })).toBe(true);
    expect(sameMapping({ serial: 'a' }, { serial: 'a', os: 'c' })).toBe(false);
  });

  it('turns the hub progress into a steadily growing bar', () => {
    expect(importProgressPct(null)).toBe(0);
    expect(importProgressPct({ phase: 'checking', done: 50, total: 100 })).toBe(10);
    expect(importProgressPct({ phase: 'writing', done: 0, total: 100 })).toBe(20);
    expect(importProgressPct({ phase: 'writing', done: 100, total: 100 })).toBe(95);
    expect(importProgressPct({ phase: 'committing', done: 1, total: 1 })).toBe(100);
    expect(importProgressPct({ phase: 'writing', done: 500, total: 100 })).toBe(95);
  });
});
