import type { Selectable } from 'kysely';
import type { Db } from '../database/database.js';
import type { DeviceConfigsTable, MeteredSetting } from '../database/schema.js';

export type DeviceConfigRow = Selectable<DeviceConfigsTable>;

export interface FleetDevice {
  id: string;
  hostname: string;
  department: string;
  online: number;
  metered: MeteredSetting;
}

/** Each device's effective configuration as last published, and the devices it is computed for. */
export class ConfigRepository {
  constructor(private readonly db: Db) {}

  devices(): Promise<FleetDevice[]> {
    return this.db
      .selectFrom('devices')
      .select(['id', 'hostname', 'department', 'online', 'metered'])
      .orderBy('id')
      .execute();
  }

  all(): Promise<DeviceConfigRow[]> {
    return this.db.selectFrom('device_configs').selectAll().execute();
  }

  /** `tx`: inside a transaction of the caller's (SQLite has one connection: the outer one would wait forever). */
  find(deviceId: string, tx: Db = this.db): Promise<DeviceConfigRow | undefined> {
    return tx.selectFrom('device_configs').selectAll().where('device_id', '=', deviceId).executeTakeFirst();
  }

  /** Writes new revisions in one transaction. */
  async save(rows: Omit<DeviceConfigRow, 'refused_revision' | 'refused_error'>[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.transaction().execute(async (tx) => {
      for (const r of rows) {
        await tx
          .insertInto('device_configs')
          .values({ ...r, refused_revision: null, refused_error: null })
          .onConflict((oc) =>
            oc.column('device_id').doUpdateSet({
              revision: r.revision,
              hash: r.hash,
              content: r.content,
              updated_at: r.updated_at,
            }),
          )
          .execute();
      }
    });
  }

  async setRefused(tx: Db, deviceId: string, revision: number, error: string | null): Promise<void> {
    await tx
      .updateTable('device_configs')
      .set({ refused_revision: error === null ? null : revision, refused_error: error })
      .where('device_id', '=', deviceId)
      .execute();
  }
}
