import type { Db } from '../database/database.js';

/** Account settings changed by an administrator in the UI. */
export interface AccountSettings {
  /** Admin and helpdesk accounts must enrol a TOTP second factor before doing anything else. */
  requireTotp: boolean;
}

export const DEFAULT_ACCOUNT_SETTINGS: AccountSettings = { requireTotp: false };

export class AccountSettingsRepository {
  constructor(private readonly db: Db) {}

  async get(): Promise<AccountSettings> {
    const rows = await this.db.selectFrom('account_settings').selectAll().execute();
    const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
    return { ...DEFAULT_ACCOUNT_SETTINGS, ...(stored as Partial<AccountSettings>) };
  }

  async set(patch: Partial<AccountSettings>, at: string, by: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const [key, value] of Object.entries(patch)) {
        await tx
          .insertInto('account_settings')
          .values({ key, value: JSON.stringify(value), updated_at: at, updated_by: by })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: at, updated_by: by }),
          )
          .execute();
      }
    });
  }
}
