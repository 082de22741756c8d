import type { Selectable } from 'kysely';
import type { Role } from '../auth/user.repository.js';
import type { Db } from '../database/database.js';
import type { SshKeysTable } from '../database/schema.js';

export type SshKeyRow = Selectable<SshKeysTable>;

/** A registered key with the account it opens, as the SSH gateway needs it. */
export interface SshKeyOwner {
  key: SshKeyRow;
  user: { id: string; username: string; role: Role };
}

/** The helpdesk's SSH public keys (table `ssh_keys`). */
export class SshKeyRepository {
  constructor(private readonly db: Db) {}

  listForUser(userId: string): Promise<SshKeyRow[]> {
    return this.db
      .selectFrom('ssh_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  findById(id: string): Promise<SshKeyRow | undefined> {
    return this.db.selectFrom('ssh_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByPublicKey(publicKey: string): Promise<SshKeyRow | undefined> {
    return this.db.selectFrom('ssh_keys').selectAll().where('public_key', '=', publicKey).executeTakeFirst();
  }

  async findOwner(publicKey: string): Promise<SshKeyOwner | undefined> {
    const r = await this.db
      .selectFrom('ssh_keys')
      .innerJoin('users', 'users.id', 'ssh_keys.user_id')
      .selectAll('ssh_keys')
      .select(['users.username as owner_username', 'users.role as owner_role'])
      .where('ssh_keys.public_key', '=', publicKey)
      .executeTakeFirst();
    if (!r) return undefined;
    const { owner_username, owner_role, ...key } = r;
    return { key, user: { id: key.user_id, username: owner_username, role: owner_role } };
  }

  async insert(row: SshKeyRow): Promise<void> {
    await this.db.insertInto('ssh_keys').values(row).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('ssh_keys').where('id', '=', id).execute();
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db.updateTable('ssh_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
