import type { Db } from '../database/database.js';

/** Who did what, when: append-only. */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  async record(entry: { ts: string; actor: string; action: string; target?: string; detail?: unknown }): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        ts: entry.ts,
        actor: entry.actor,
        action: entry.action,
        target: entry.target ?? null,
        detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
      })
      .execute();
  }
}
