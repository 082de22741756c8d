import type { IdGenerator } from '@bascule/protocol';
import type { Insertable } from 'kysely';
import type { RegistryDepartmentsTable } from '../database/schema.js';
import type { RegistryRepository } from './registry.repository.js';
import { departmentKey } from './registry-mapping.js';

/**
 * Resolves department paths to ids for an import: known departments by name, the others get an id
 * at once (under the previous name of their path) and are inserted by `insertNew` in the import's
 * transaction.
 */
export class DepartmentResolver {
  private readonly byKey = new Map<string, string>();
  private readonly created: Insertable<RegistryDepartmentsTable>[] = [];

  private constructor(
    private readonly ids: IdGenerator,
    private readonly at: string,
  ) {}

  static async load(repo: RegistryRepository, ids: IdGenerator, at: string): Promise<DepartmentResolver> {
    const r = new DepartmentResolver(ids, at);
    for (const d of await repo.departments()) r.byKey.set(d.name_key, d.id);
    return r;
  }

  /** The id of the path's last department; null for an empty path. */
  resolve(path: readonly string[]): string | null {
    let parent: string | null = null;
    for (const name of path) {
      const key = departmentKey(name);
      let id = this.byKey.get(key);
      if (id === undefined) {
        id = this.ids();
        this.created.push({ id, name: name.trim(), name_key: key, parent_id: parent, created_at: this.at });
        this.byKey.set(key, id);
      }
      parent = id;
    }
    return parent;
  }

  get createdCount(): number {
    return this.created.length;
  }

  /** Parents first (the order they were met in). A name created meanwhile by someone else fails the import. */
  async insertNew(tx: RegistryRepository): Promise<void> {
    for (const d of this.created) await tx.insertDepartment(d);
  }
}
