import type { IdGenerator } from '@bascule/protocol';
import type { RegistryRepository } from './registry.repository.js';
import { departmentKey } from './registry-mapping.js';

/**
 * Resolves department paths to ids inside one transaction, creating the departments that do not
 * exist yet (each under the previous name of its path).
 */
export class DepartmentResolver {
  private readonly byKey = new Map<string, string>();
  created = 0;

  private constructor(
    private readonly repo: RegistryRepository,
    private readonly ids: IdGenerator,
    private readonly at: string,
  ) {}

  static async load(repo: RegistryRepository, ids: IdGenerator, at: string): Promise<DepartmentResolver> {
    const r = new DepartmentResolver(repo, ids, at);
    for (const d of await repo.departments()) r.byKey.set(d.name_key, d.id);
    return r;
  }

  /** The id of the path's last department; null for an empty path. */
  async resolve(path: readonly string[]): Promise<string | null> {
    let parent: string | null = null;
    for (const name of path) {
      const key = departmentKey(name);
      let id = this.byKey.get(key);
      if (id === undefined) {
        id = this.ids();
        await this.repo.insertDepartment({
          id,
          name: name.trim(),
          name_key: key,
          parent_id: parent,
          created_at: this.at,
        });
        this.byKey.set(key, id);
        this.created++;
      }
      parent = id;
    }
    return parent;
  }
}
