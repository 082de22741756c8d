import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../database/database.js';
import type { VolunteerCampaignsTable, VolunteerRequestsTable, VolunteerState } from '../database/schema.js';

export type CampaignRow = Selectable<VolunteerCampaignsTable>;
export type RequestRow = Selectable<VolunteerRequestsTable>;

/** Campaign links, volunteer requests, and the registry machines a request may name (read only here). */
export class VolunteerRepository {
  constructor(private readonly db: Db) {}

  async insertCampaign(row: Insertable<VolunteerCampaignsTable>): Promise<void> {
    await this.db.insertInto('volunteer_campaigns').values(row).execute();
  }

  async campaigns(): Promise<(CampaignRow & { requests: number })[]> {
    const rows = await this.db
      .selectFrom('volunteer_campaigns as c')
      .selectAll('c')
      .select((eb) =>
        eb
          .selectFrom('volunteer_requests as r')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('r.campaign_id', '=', 'c.id')
          .as('requests'),
      )
      .orderBy('c.created_at', 'desc')
      .execute();
    return rows.map((r) => ({ ...r, requests: Number(r.requests ?? 0) }));
  }

  async campaign(id: string): Promise<CampaignRow | undefined> {
    return this.db.selectFrom('volunteer_campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async campaignByTokenHash(hash: string): Promise<CampaignRow | undefined> {
    return this.db.selectFrom('volunteer_campaigns').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  }

  async revokeCampaign(id: string, at: string): Promise<void> {
    await this.db.updateTable('volunteer_campaigns').set({ revoked_at: at }).where('id', '=', id).execute();
  }

  async insertRequest(row: Insertable<VolunteerRequestsTable>): Promise<void> {
    await this.db.insertInto('volunteer_requests').values(row).execute();
  }

  async request(id: string): Promise<RequestRow | undefined> {
    return this.db.selectFrom('volunteer_requests').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async requests(q: {
    states?: VolunteerState[];
    offset: number;
    limit: number;
    order: 'asc' | 'desc';
  }): Promise<{ rows: RequestRow[]; total: number }> {
    let base = this.db.selectFrom('volunteer_requests');
    if (q.states) base = base.where('state', 'in', q.states);
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    const rows = await base
      .selectAll()
      .orderBy('created_at', q.order)
      .orderBy('id', q.order)
      .offset(q.offset)
      .limit(q.limit)
      .execute();
    return { rows, total: Number(total?.n ?? 0) };
  }

  /** Decides a waiting request; false when it was no longer waiting (decided meanwhile). */
  async decide(id: string, patch: Updateable<VolunteerRequestsTable>): Promise<boolean> {
    const r = await this.db
      .updateTable('volunteer_requests')
      .set(patch)
      .where('id', '=', id)
      .where('state', '=', 'waiting')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Registry machines whose hostname or serial is what the volunteer typed (case-insensitive). */
  async machinesNamed(hostnameKey: string, serialKey: string | undefined): Promise<string[]> {
    const rows = await this.db
      .selectFrom('registry_machines')
      .select('id')
      .where((eb) =>
        serialKey === undefined
          ? eb('hostname_key', '=', hostnameKey)
          : eb.or([eb('hostname_key', '=', hostnameKey), eb('serial_key', '=', serialKey)]),
      )
      .orderBy('id')
      .limit(10)
      .execute();
    return rows.map((r) => r.id);
  }

  async setMainUser(machineId: string, mainUser: string, at: string): Promise<void> {
    await this.db
      .updateTable('registry_machines')
      .set({ main_user: mainUser, updated_at: at })
      .where('id', '=', machineId)
      .execute();
  }
}
