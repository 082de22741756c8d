import type { Selectable } from 'kysely';
import type { Db } from '../database/database.js';
import type { EnrolmentTokensTable } from '../database/schema.js';

export type TokenRow = Selectable<EnrolmentTokensTable>;

export class TokenRepository {
  constructor(private readonly db: Db) {}

  async insert(row: TokenRow): Promise<void> {
    await this.db.insertInto('enrolment_tokens').values(row).execute();
  }

  findByHash(tokenHash: string): Promise<TokenRow | undefined> {
    return this.db.selectFrom('enrolment_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  /**
   * Takes one use of a token if it is still valid; false when it expired or is used up. A single
   * conditional UPDATE, so two desktops racing for the last use cannot both win.
   */
  async consume(id: string, now: string): Promise<boolean> {
    const r = await this.db
      .updateTable('enrolment_tokens')
      .set((eb) => ({ uses_count: eb('uses_count', '+', 1) }))
      .where('id', '=', id)
      .where('expires_at', '>', now)
      .whereRef('uses_count', '<', 'uses_allowed')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
