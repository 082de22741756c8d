import type { Selectable } from 'kysely';
import type { Db } from '../database/database.js';
import { setsNothing } from '../database/patch.js';
import type { DeviceGroupsTable } from '../database/schema.js';

export type GroupRow = Selectable<DeviceGroupsTable>;

/** Named device groups ("IT canary", "beta testers") and their members. */
export class GroupRepository {
  constructor(private readonly db: Db) {}

  list(): Promise<(GroupRow & { members: number })[]> {
    return this.db
      .selectFrom('device_groups as g')
      .leftJoin('device_group_members as m', 'm.group_id', 'g.id')
      .select(['g.id', 'g.name', 'g.description', 'g.created_at'])
      .select((eb) => eb.fn.count<number>('m.device_id').as('members'))
      .groupBy('g.id')
      .orderBy('g.name')
      .execute();
  }

  findById(id: string): Promise<GroupRow | undefined> {
    return this.db.selectFrom('device_groups').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByName(name: string): Promise<GroupRow | undefined> {
    return this.db.selectFrom('device_groups').selectAll().where('name', '=', name).executeTakeFirst();
  }

  async insert(row: GroupRow): Promise<void> {
    await this.db.insertInto('device_groups').values(row).execute();
  }

  async update(id: string, patch: Partial<Pick<GroupRow, 'name' | 'description'>>): Promise<void> {
    if (setsNothing(patch)) return;
    await this.db.updateTable('device_groups').set(patch).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('device_groups').where('id', '=', id).execute();
  }

  members(groupId: string): Promise<{ id: string; hostname: string; department: string; online: number }[]> {
    return this.db
      .selectFrom('device_group_members as m')
      .innerJoin('devices as d', 'd.id', 'm.device_id')
      .select(['d.id', 'd.hostname', 'd.department', 'd.online'])
      .where('m.group_id', '=', groupId)
      .orderBy('d.hostname')
      .execute();
  }

  allMembers(): Promise<{ group_id: string; device_id: string }[]> {
    return this.db.selectFrom('device_group_members').selectAll().execute();
  }

  /** Adds the devices that exist; returns the ids that do not. */
  async addMembers(groupId: string, deviceIds: string[]): Promise<string[]> {
    if (deviceIds.length === 0) return [];
    const known = new Set(
      (await this.db.selectFrom('devices').select('id').where('id', 'in', deviceIds).execute()).map((d) => d.id),
    );
    const rows = deviceIds.filter((id) => known.has(id)).map((device_id) => ({ group_id: groupId, device_id }));
    if (rows.length > 0) {
      await this.db
        .insertInto('device_group_members')
        .values(rows)
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    return deviceIds.filter((id) => !known.has(id));
  }

  async removeMember(groupId: string, deviceId: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('device_group_members')
      .where('group_id', '=', groupId)
      .where('device_id', '=', deviceId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
