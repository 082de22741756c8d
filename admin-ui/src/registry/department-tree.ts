import type { RegistryDepartment } from './registry.js';

/** A department with its depth in the tree, in display order (parents first, siblings by name). */
export interface DepartmentRow {
  department: RegistryDepartment;
  depth: number;
  path: string[];
}

/** The tree flattened depth first; siblings sorted by name in French order ("Écoles" next to "Eau"). */
export function flattenTree(departments: readonly RegistryDepartment[], locale = 'fr'): DepartmentRow[] {
  const ids = new Set(departments.map((d) => d.id));
  const children = new Map<string | null, RegistryDepartment[]>();
  for (const d of departments) {
    // A parent the list lacks (deleted meanwhile) shows its children at the root rather than hiding them.
    const parent = d.parentId && ids.has(d.parentId) ? d.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  const collator = new Intl.Collator(locale, { sensitivity: 'base' });
  const out: DepartmentRow[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number, path: string[]) => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => collator.compare(a.name, b.name));
    for (const d of list) {
      if (seen.has(d.id)) continue;
      seen.add(d.id);
      const here = [...path, d.name];
      out.push({ department: d, depth, path: here });
      walk(d.id, depth + 1, here);
    }
  };
  walk(null, 0, []);
  return out;
}

/** The department and all its sub-departments: where it cannot be moved. */
export function subtreeIds(departments: readonly RegistryDepartment[], id: string): Set<string> {
  const out = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of departments) {
      if (d.parentId && out.has(d.parentId) && !out.has(d.id)) {
        out.add(d.id);
        grew = true;
      }
    }
  }
  return out;
}

/** Choices for a select: every department, indented by depth, with its full path as the title. */
export function departmentChoices(
  departments: readonly RegistryDepartment[],
  exclude: ReadonlySet<string> = new Set(),
) {
  return flattenTree(departments)
    .filter((r) => !exclude.has(r.department.id))
    .map((r) => ({ id: r.department.id, name: `${'\u00a0\u00a0'.repeat(r.depth)}${r.department.name}` }));
}
