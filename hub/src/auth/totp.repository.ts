import type { Db } from '../database/database.js';
import { serializeTransactions } from '../database/dialect.js';

/** Recovery codes of the TOTP second factor, stored as sha256 (they carry 80 random bits). */
export class TotpRepository {
  constructor(private readonly db: Db) {}

  async replaceRecoveryCodes(userId: string, hashes: string[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      // Two regenerations at once must leave one set, not both: one after the other.
      await serializeTransactions(tx, `totp_recovery_codes:${userId}`);
      await tx.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
      if (hashes.length > 0) {
        await tx
          .insertInto('totp_recovery_codes')
          .values(hashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null })))
          .execute();
      }
    });
  }

  /** Marks an unused code as used; false when it is unknown or was used already. */
  async useRecoveryCode(userId: string, hash: string, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable('totp_recovery_codes')
      .set({ used_at: at })
      .where('user_id', '=', userId)
      .where('code_hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async countUnusedRecoveryCodes(userId: string): Promise<number> {
    const r = await this.db
      .selectFrom('totp_recovery_codes')
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /**
   * Records `step` as the last one used, only if it is newer than the last: false means a replay (or a
   * concurrent login with the same code), refused.
   */
  async advanceStep(userId: string, step: number): Promise<boolean> {
    const r = await this.db
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', userId)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
