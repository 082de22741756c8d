import type { Selectable } from 'kysely';
import type { Db } from '../database/database.js';
import type { AdJoinAccountsTable } from '../database/schema.js';

export type AdJoinAccountRow = Selectable<AdJoinAccountsTable>;

/** Computer accounts the hub pre-created, with the one-time password each device joins with. */
export class AdJoinAccountRepository {
  constructor(private readonly db: Db) {}

  all(): Promise<AdJoinAccountRow[]> {
    return this.db.selectFrom('ad_join_accounts').selectAll().execute();
  }

  find(deviceId: string, domain: string): Promise<AdJoinAccountRow | undefined> {
    return this.db
      .selectFrom('ad_join_accounts')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('domain', '=', domain)
      .executeTakeFirst();
  }

  async upsert(row: AdJoinAccountRow): Promise<void> {
    const { device_id, domain, ...rest } = row;
    await this.db
      .insertInto('ad_join_accounts')
      .values(row)
      .onConflict((oc) => oc.columns(['device_id', 'domain']).doUpdateSet(rest))
      .execute();
  }

  /** The device joined: its one-time password is spent and leaves its config. */
  async markJoined(deviceId: string, domain: string, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable('ad_join_accounts')
      .set({ joined_at: at, one_time_password: null, updated_at: at })
      .where('device_id', '=', deviceId)
      .where('domain', '=', domain)
      .where('joined_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
