import { type Selectable, sql } from 'kysely';
import type { Db } from '../database/database.js';
import { nullsAsSmallest } from '../database/dialect.js';
import type { AuditLogTable } from '../database/schema.js';

export type AuditRow = Selectable<AuditLogTable>;

/** Filters of `GET /audit`: exact actor, action prefix (`user.` for every user action), target, date range. */
export interface AuditFilter {
  actor?: string;
  action?: string;
  target?: string;
  /** ISO-8601, inclusive. */
  since?: string;
  /** ISO-8601, exclusive. */
  until?: string;
}

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

  async list(opts: {
    filter: AuditFilter;
    sort: 'id' | 'ts' | 'actor' | 'action' | 'target';
    order: 'asc' | 'desc';
    offset: number;
    limit: number;
  }): Promise<{ rows: AuditRow[]; total: number }> {
    const f = opts.filter;
    let q = this.db.selectFrom('audit_log');
    if (f.actor) q = q.where('actor', '=', f.actor);
    // LIKE with the wildcards of the value escaped: a prefix, never a pattern the caller writes.
    if (f.action) {
      const prefix = `${f.action.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
      q = q.where(sql<boolean>`lower(action) like ${prefix} escape '\\'`);
    }
    if (f.target) q = q.where('target', '=', f.target);
    if (f.since) q = q.where('ts', '>=', f.since);
    if (f.until) q = q.where('ts', '<', f.until);
    const rows = await q
      .selectAll()
      .orderBy(opts.sort, nullsAsSmallest(opts.order))
      .orderBy('id', opts.order)
      .offset(opts.offset)
      .limit(opts.limit)
      .execute();
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return { rows, total: Number(total?.n ?? 0) };
  }
}
