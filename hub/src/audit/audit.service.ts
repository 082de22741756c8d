import type { AuditFilter, AuditRepository, AuditRow } from './audit.repository.js';

/** One audit entry as the API returns it: the detail parsed, and what changed pulled out of it. */
export interface AuditEntryView {
  id: number;
  ts: string;
  actor: string;
  action: string;
  target: string | null;
  detail: unknown;
  /** The value before the change (`detail.before`, or `detail.from` in older entries), when recorded. */
  before: unknown;
  after: unknown;
}

function pick(detail: unknown, ...keys: string[]): unknown {
  if (typeof detail !== 'object' || detail === null) return null;
  for (const k of keys) if (k in detail) return (detail as Record<string, unknown>)[k];
  return null;
}

export function toAuditView(row: AuditRow): AuditEntryView {
  let detail: unknown = null;
  if (row.detail !== null) {
    try {
      detail = JSON.parse(row.detail);
    } catch {
      // Written by record() as JSON; an entry edited by hand is shown as it is.
      detail = row.detail;
    }
  }
  return {
    id: row.id,
    ts: row.ts,
    actor: row.actor,
    action: row.action,
    target: row.target,
    detail,
    before: pick(detail, 'before', 'from'),
    after: pick(detail, 'after', 'to'),
  };
}

export const AUDIT_CSV_HEADER = ['id', 'ts', 'actor', 'action', 'target', 'before', 'after', 'detail'] as const;

export function auditCsvRow(e: AuditEntryView): unknown[] {
  const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));
  return [e.id, e.ts, e.actor, e.action, e.target ?? '', json(e.before), json(e.after), json(e.detail)];
}

/** Reads the audit log for `GET /audit` (admins only); the log itself is written by every service. */
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  async list(opts: Parameters<AuditRepository['list']>[0]): Promise<{ rows: AuditEntryView[]; total: number }> {
    const { rows, total } = await this.audit.list(opts);
    return { rows: rows.map(toAuditView), total };
  }

  /** Every entry matching `filter`, newest first, at most `max` (a CSV export). */
  async export(filter: AuditFilter, max = 100_000): Promise<AuditEntryView[]> {
    const { rows } = await this.audit.list({ filter, sort: 'id', order: 'desc', offset: 0, limit: max });
    return rows.map(toAuditView);
  }
}
