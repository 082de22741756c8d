import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Db } from '../database/database.js';
import { jsonElements } from '../database/dialect.js';
import { setsNothing } from '../database/patch.js';
import type { RegistryImportRowsTable, RegistryImportsTable } from '../database/schema.js';

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
    if (setsNothing(patch)) return;
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

  /** Jobs left `importing` by a hub that stopped mid-way: nothing was committed; their staged rows go. */
  async failInterrupted(at: string): Promise<number> {
    await this.db
      .deleteFrom('registry_import_rows')
      .where('import_id', 'in', (eb) => eb.selectFrom('registry_imports').select('id').where('state', '=', 'importing'))
      .execute();
    const r = await this.db
      .updateTable('registry_imports')
      .set({ state: 'failed', error: 'the hub stopped during the import: nothing was imported', finished_at: at })
      .where('state', '=', 'importing')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Stages machines of a confirmed import (10 columns: 3,000 rows a statement). */
  async stage(rows: readonly Insertable<RegistryImportRowsTable>[]): Promise<void> {
    const CHUNK = 3000;
    for (let i = 0; i < rows.length; i += CHUNK) {
      await this.db
        .insertInto('registry_import_rows')
        .values(rows.slice(i, i + CHUNK))
        .execute();
    }
  }

  async clearStaged(importId: string, tx: Db = this.db): Promise<void> {
    await tx.deleteFrom('registry_import_rows').where('import_id', '=', importId).execute();
  }

  /**
   * Moves the staged machines and their MACs into the registry (status `windows`), inside the caller's
   * transaction; returns how many machines. A serial or MAC added meanwhile breaks a unique constraint.
   */
  async commitStaged(tx: Db, importId: string, at: string): Promise<number> {
    const r = await sql`
      insert into registry_machines (id, serial, serial_key, hostname, hostname_key, department_id, main_user, os,
        status, import_id, created_at, updated_at, status_changed_at)
      select id, serial, serial_key, hostname, hostname_key, department_id, main_user, os,
        'windows', import_id, cast(${at} as text), cast(${at} as text), cast(${at} as text)
      from registry_import_rows where import_id = ${importId}`.execute(tx);
    await sql`
      insert into registry_machine_macs (mac, machine_id)
      select j.value, s.id from registry_import_rows s, ${jsonElements(tx, sql.ref('s.macs'), 'j', { asText: true })}
      where s.import_id = ${importId}`.execute(tx);
    await this.clearStaged(importId, tx);
    return Number(r.numAffectedRows ?? 0);
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
