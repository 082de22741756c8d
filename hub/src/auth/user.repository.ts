import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../database/database.js';
import { nullsAsSmallest } from '../database/dialect.js';
import { setsNothing } from '../database/patch.js';
import type { UsersTable } from '../database/schema.js';

export type Role = UsersTable['role'];
export const ROLES: readonly Role[] = ['admin', 'helpdesk', 'viewer'];
export type UserRow = Selectable<UsersTable>;

/** The roles that the `requireTotp` account setting applies to (they can act on devices). */
export const TOTP_ROLES: readonly Role[] = ['admin', 'helpdesk'];

/** Public view of an account (never the hash). */
export interface UserView {
  id: string;
  username: string;
  role: Role;
  mustChangePassword: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  /** A TOTP second factor is enrolled (the secret itself is never returned). */
  totpEnabled: boolean;
  /** The hub requires TOTP for this role and none is enrolled yet: only enrolment is allowed. */
  totpEnrolmentRequired: boolean;
  /** Departments this account is limited to (sub-departments included); null: every department. */
  departments: string[] | null;
  /** `local` or `ldap` (Active Directory: no local password, role from the AD groups). */
  authSource: 'local' | 'ldap';
}

export function toUserView(u: UserRow): UserView {
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    mustChangePassword: u.must_change_password === 1,
    createdAt: u.created_at,
    lastLoginAt: u.last_login_at,
    totpEnabled: u.totp_enabled_at !== null,
    totpEnrolmentRequired: false,
    departments: u.departments === null ? null : (JSON.parse(u.departments) as string[]),
    authSource: u.auth_source,
  };
}

export class UserRepository {
  constructor(private readonly db: Db) {}

  findByUsername(username: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }

  findById(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async count(): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async countAdmins(): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .where('role', '=', 'admin')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async insert(row: Insertable<UsersTable>): Promise<void> {
    await this.db.insertInto('users').values(row).execute();
  }

  async update(id: string, patch: Partial<Omit<UserRow, 'id'>>): Promise<void> {
    if (setsNothing(patch)) return;
    await this.db.updateTable('users').set(patch).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('users').where('id', '=', id).execute();
  }

  async list(opts: { sort: keyof UserRow; order: 'asc' | 'desc'; offset: number; limit: number }) {
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .orderBy(opts.sort, nullsAsSmallest(opts.order))
      .orderBy('id')
      .offset(opts.offset)
      .limit(opts.limit)
      .execute();
    return { rows, total: await this.count() };
  }
}
