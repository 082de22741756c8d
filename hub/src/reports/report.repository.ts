import type { Selectable } from 'kysely';
import type { Db } from '../database/database.js';
import type { DeviceModuleStatesTable } from '../database/schema.js';

export type ModuleStateRow = Selectable<DeviceModuleStatesTable>;

/** The latest report of each module on each device. */
export class ReportRepository {
  constructor(private readonly db: Db) {}

  /** Keeps the report of the highest config revision: a late report of an older one never wins. */
  async upsert(tx: Db, row: ModuleStateRow): Promise<void> {
    await tx
      .insertInto('device_module_states')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['device_id', 'module'])
          .doUpdateSet({
            policy_id: row.policy_id,
            policy_revision: row.policy_revision,
            config_revision: row.config_revision,
            status: row.status,
            error: row.error,
            steps: row.steps,
            observed: row.observed,
            at: row.at,
            received_at: row.received_at,
          })
          .where('device_module_states.config_revision', '<=', row.config_revision),
      )
      .execute();
  }

  forDevice(deviceId: string): Promise<ModuleStateRow[]> {
    return this.db.selectFrom('device_module_states').selectAll().where('device_id', '=', deviceId).execute();
  }

  forPolicy(policyId: string): Promise<ModuleStateRow[]> {
    return this.db.selectFrom('device_module_states').selectAll().where('policy_id', '=', policyId).execute();
  }

  all(): Promise<ModuleStateRow[]> {
    return this.db.selectFrom('device_module_states').selectAll().execute();
  }
}
