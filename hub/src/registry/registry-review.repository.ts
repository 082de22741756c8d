import { type Insertable, type Selectable, sql } from 'kysely';
import type { Db } from '../database/database.js';
import type { RegistryReviewItemsTable, ReviewState } from '../database/schema.js';

export type ReviewRow = Selectable<RegistryReviewItemsTable> & { hostname: string; serial: string };

/** The review list: devices that fit more than one registry record, waiting for a person. */
export class RegistryReviewRepository {
  constructor(private readonly db: Db) {}

  /** Adds an open item for the device; false when one is already open (one per device). */
  async open(row: Insertable<RegistryReviewItemsTable>): Promise<boolean> {
    const r = await this.db
      .insertInto('registry_review_items')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Whether matching should leave this device alone: an item is open, or a person kept it apart. */
  async blocksMatching(deviceId: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('registry_review_items')
      .select('id')
      .where('device_id', '=', deviceId)
      .where('state', 'in', ['open', 'kept-apart'])
      .executeTakeFirst();
    return r !== undefined;
  }

  get(id: string): Promise<ReviewRow | undefined> {
    return this.base().where('registry_review_items.id', '=', id).executeTakeFirst();
  }

  async resolve(
    id: string,
    patch: { state: Exclude<ReviewState, 'open'>; resolved_by: string; resolved_at: string; machine_id: string | null },
    tx: Db = this.db,
  ): Promise<boolean> {
    const r = await tx
      .updateTable('registry_review_items')
      .set(patch)
      .where('id', '=', id)
      .where('state', '=', 'open')
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async list(q: { states?: ReviewState[]; offset: number; limit: number; order: 'asc' | 'desc' }) {
    let base = this.db.selectFrom('registry_review_items');
    if (q.states) base = q.states.length ? base.where('state', 'in', q.states) : base.where(sql<boolean>`false`);
    const ids = await base
      .select('id')
      .orderBy('created_at', q.order)
      .orderBy('id')
      .offset(q.offset)
      .limit(q.limit)
      .execute();
    const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    const rows = ids.length
      ? await this.base()
          .where(
            'registry_review_items.id',
            'in',
            ids.map((r) => r.id),
          )
          .execute()
      : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return { rows: ids.map((r) => byId.get(r.id) as ReviewRow), total: Number(count?.n ?? 0) };
  }

  private base() {
    return this.db
      .selectFrom('registry_review_items')
      .innerJoin('devices', 'devices.id', 'registry_review_items.device_id')
      .selectAll('registry_review_items')
      .select(['devices.hostname', 'devices.serial']);
  }
}
