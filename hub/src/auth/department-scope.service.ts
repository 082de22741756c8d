import { sql } from 'kysely';
import type { Db } from '../database/database.js';
import type { UserView } from './user.repository.js';

/**
 * The departments an account may see: its own list plus every sub-department in the registry's
 * department tree (registry_departments.parent_id), compared without case. The guard, the device
 * lists and the terminal all ask here, so the answer cannot differ between them.
 */
export class DepartmentScopeService {
  constructor(private readonly db: Db) {}

  /** Lower-case department names the user may see, or null when the account is not limited. */
  async departmentsOf(user: Pick<UserView, 'departments'>): Promise<string[] | null> {
    if (user.departments === null) return null;
    if (user.departments.length === 0) return [];
    const roots = user.departments.map((d) => d.toLowerCase());
    const rows = await sql<{ name: string }>`
      with recursive scope(id, name) as (
        select id, name from registry_departments where lower(name) in (${sql.join(roots)})
        union
        select d.id, d.name from registry_departments d join scope s on d.parent_id = s.id
      )
      select name from scope`.execute(this.db);
    return [...new Set([...roots, ...rows.rows.map((r) => r.name.toLowerCase())])];
  }

  /** Whether the device exists and is in the user's scope (always true for an unlimited account that finds it). */
  async allowsDevice(user: Pick<UserView, 'departments'>, deviceId: string): Promise<boolean> {
    const scope = await this.departmentsOf(user);
    if (scope === null) return true;
    const device = await this.db
      .selectFrom('devices')
      .select('department')
      .where('id', '=', deviceId)
      .executeTakeFirst();
    return device !== undefined && scope.includes(device.department.toLowerCase());
  }

  /**
   * For the terminal, which names a device by id or hostname: every device the name matches must be in
   * scope (a name shared with an out-of-scope device is refused rather than resolved).
   */
  async allowsDeviceRef(user: Pick<UserView, 'departments'>, ref: string): Promise<boolean> {
    const scope = await this.departmentsOf(user);
    if (scope === null) return true;
    const trimmed = ref.trim();
    const found = await this.db
      .selectFrom('devices')
      .select('department')
      .where((eb) =>
        eb.or([eb('id', '=', trimmed.toUpperCase()), eb(sql`lower(hostname)`, '=', trimmed.toLowerCase())]),
      )
      .execute();
    return found.length > 0 && found.every((d) => scope.includes(d.department.toLowerCase()));
  }

  /** For the terminal (SSH gateway and browser), which knows the user by id only. */
  async allowsUserOnDevice(userId: string, deviceId: string): Promise<boolean> {
    const row = await this.db.selectFrom('users').select('departments').where('id', '=', userId).executeTakeFirst();
    if (!row) return false;
    const departments = row.departments === null ? null : (JSON.parse(row.departments) as string[]);
    return this.allowsDevice({ departments }, deviceId);
  }
}
