import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../database/database.js';
import type { RegistryImportsTable } from '../database/schema.js';

export type ImportRow = Selectable<RegistryImportsTable>;

/** The CSV import jobs. */
export class RegistryImportRepository {
  constructor(private readonly db: Db) {}

  async insert(row: Insertable<RegistryImportsTable>): Promise<void> {
    await this.db.insertInto('registry_imports').values(row).execute();
  }

  get(id: string): Promise<ImportRow | undefined> {
    return this.db.selectFrom('registry_imports').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async update(id: string, patch: Updateable<RegistryImportsTable>, tx: Db = this.db): Promise<void> {
    await tx.updateTable('registry_imports').set(patch).where('id', '=', id).execute();
  }

  /** Moves a job from `preview` to `importing`; false when it was not (or no longer) in preview. */
  async claim(id: string, patch: Updateable<RegistryImportsTable>): Promise<boolean> {
    const r = await this.db
      .updateTable('registry_imports')
      .set({ ...patch, state: 'importing' })
      .where('id', '=', id)
      .where('state', '=', 'preview')
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** Jobs left `importing` by a hub that stopped mid-way: their transaction was rolled back. */
  async failInterrupted(at: string): Promise<number> {
    const r = await this.db
      .updateTable('registry_imports')
      .set({ state: 'failed', error: 'the hub stopped during the import: nothing was imported', finished_at: at })
      .where('state', '=', 'importing')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  list(limit = 50): Promise<Omit<ImportRow, 'content'>[]> {
    return this.db
      .selectFrom('registry_imports')
      .select([
        'id',
        'filename',
        'encoding',
        'separator',
        'columns',
        'mapping',
        'preset',
        'state',
        'total_lines',
        'error_lines',
        'imported',
        'skipped',
        'error',
        'created_by',
        'created_at',
        'confirmed_by',
        'confirmed_at',
        'finished_at',
      ])
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
  }
}
