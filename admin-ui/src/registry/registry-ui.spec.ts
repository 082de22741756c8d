import { describe, expect, it } from 'vitest';
import { departmentChoices, flattenTree, subtreeIds } from './department-tree.js';
import type { RegistryDepartment } from './registry.js';
import { statusChange } from './status-form.js';

const dep = (id: string, name: string, parentId: string | null = null): RegistryDepartment => ({
  id,
  name,
  parentId,
  phase: 'beta',
  phaseChangedAt: null,
  createdAt: '2026-12-01T00:00:00Z',
});

const tree = [
  dep('m', 'Mairie'),
  dep('e', 'Écoles', 'm'),
  dep('i', 'Informatique', 'm'),
  dep('a', 'Élémentaire Jaurès', 'e'),
  dep('d', 'Médiathèque'),
  dep('eau', 'Eaux', 'm'),
];

describe('department tree', () => {
  it('lists parents before children, siblings in French order', () => {
    expect(flattenTree(tree).map((r) => `${r.depth}:${r.department.name}`)).toEqual([
      '0:Mairie',
      '1:Eaux',
      '1:Écoles',
      '2:Élémentaire Jaurès',
      '1:Informatique',
      '0:Médiathèque',
    ]);
    expect(flattenTree(tree).find((r) => r.department.id === 'a')?.path).toEqual([
      'Mairie',
      'Écoles',
      'Élémentaire Jaurès',
    ]);
  });

  it('knows a subtree, where a department cannot be moved', () => {
    expect([...subtreeIds(tree, 'e')].sort()).toEqual(['a', 'e']);
    expect(departmentChoices(tree, subtreeIds(tree, 'm')).map((c) => c.id)).toEqual(['d']);
  });

  it('keeps a child whose parent is missing, at the root', () => {
    expect(flattenTree([dep('x', 'Orphelin', 'gone')]).map((r) => r.depth)).toEqual([0]);
  });
});

describe('status change', () => {
  it('requires a reason for an exception and keeps the workaround', () => {
    expect(statusChange('exception', '', 'Ciril par RDP', '')).toEqual({ missing: 'exceptionReason' });
    expect(statusChange('exception', 'business-software', '  Ciril par RDP avec Remmina ', '')).toEqual({
      status: 'exception',
      exceptionReason: 'business-software',
      workaround: 'Ciril par RDP avec Remmina',
    });
    expect(statusChange('exception', 'user-declined', ' ', '')).toEqual({
      status: 'exception',
      exceptionReason: 'user-declined',
    });
  });

  it('requires a reason for a roll back, nothing for the other statuses', () => {
    expect(statusChange('rolled-back', '', '', '   ')).toEqual({ missing: 'rollbackReason' });
    expect(statusChange('rolled-back', '', '', 'Imprimante du service')).toEqual({
      status: 'rolled-back',
      rollbackReason: 'Imprimante du service',
    });
    expect(statusChange('scheduled', 'profession', 'x', 'y')).toEqual({ status: 'scheduled' });
  });
});
