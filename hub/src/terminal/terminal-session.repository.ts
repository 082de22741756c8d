import type { Selectable } from 'kysely';
import type { Db } from '../database/database.js';
import { nullsAsSmallest } from '../database/dialect.js';
import type { TerminalSessionsTable } from '../database/schema.js';

export type TerminalSessionRow = Selectable<TerminalSessionsTable>;

export const TERMINAL_SESSION_SORT_FIELDS = ['startedAt', 'endedAt', 'username', 'hostname'] as const;
export type TerminalSessionSortField = (typeof TERMINAL_SESSION_SORT_FIELDS)[number];
const SORT_COLUMN = {
  startedAt: 'started_at',
  endedAt: 'ended_at',
  username: 'username',
  hostname: 'hostname',
} as const satisfies Record<TerminalSessionSortField, keyof TerminalSessionRow>;

export interface TerminalSessionFilter {
  deviceId?: string;
  userId?: string;
  via?: 'ssh' | 'web';
  /** Sessions still open. */
  active?: boolean;
}

export interface TerminalSessionEnd {
  endedAt: string;
  bytesIn: number;
  bytesOut: number;
  exitCode: number | null;
  exitSignal: string | null;
  endReason: string;
  endMessage: string;
}

/** The audit trail of terminal sessions: one row per session, written at open and completed at close. */
export class TerminalSessionRepository {
  constructor(private readonly db: Db) {}

  async insert(row: TerminalSessionRow): Promise<void> {
    await this.db.insertInto('terminal_sessions').values(row).execute();
  }

  async finish(id: string, end: TerminalSessionEnd): Promise<void> {
    await this.db
      .updateTable('terminal_sessions')
      .set({
        ended_at: end.endedAt,
        bytes_in: end.bytesIn,
        bytes_out: end.bytesOut,
        exit_code: end.exitCode,
        exit_signal: end.exitSignal,
        end_reason: end.endReason,
        end_message: end.endMessage,
      })
      .where('id', '=', id)
      .execute();
  }

  /** Sessions a crash left open: closed at the hub's next start, with what is known. */
  async closeDangling(at: string): Promise<number> {
    const r = await this.db
      .updateTable('terminal_sessions')
      .set({ ended_at: at, end_reason: 'hub-stopping', end_message: 'the hub stopped while the session was open' })
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  findById(id: string): Promise<TerminalSessionRow | undefined> {
    return this.db.selectFrom('terminal_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(q: {
    filter: TerminalSessionFilter;
    sort: TerminalSessionSortField;
    order: 'asc' | 'desc';
    offset: number;
    limit: number;
  }): Promise<{ rows: TerminalSessionRow[]; total: number }> {
    let base = this.db.selectFrom('terminal_sessions');
    const f = q.filter;
    if (f.deviceId !== undefined) base = base.where('device_id', '=', f.deviceId);
    if (f.userId !== undefined) base = base.where('user_id', '=', f.userId);
    if (f.via !== undefined) base = base.where('via', '=', f.via);
    if (f.active !== undefined) base = base.where('ended_at', f.active ? 'is' : 'is not', null);
    const rows = await base
      .selectAll()
      .orderBy(SORT_COLUMN[q.sort], nullsAsSmallest(q.order))
      .orderBy('id', q.order)
      .offset(q.offset)
      .limit(q.limit)
      .execute();
    const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return { rows, total: Number(count?.n ?? 0) };
  }

  /** Recordings of sessions that started before `cutoff` (ISO), to delete under the retention setting. */
  recordingsOlderThan(cutoff: string): Promise<{ id: string; recording: string }[]> {
    return this.db
      .selectFrom('terminal_sessions')
      .select(['id', 'recording'])
      .where('started_at', '<', cutoff)
      .where('recording', 'is not', null)
      .execute() as Promise<{ id: string; recording: string }[]>;
  }

  async forgetRecording(id: string): Promise<void> {
    await this.db.updateTable('terminal_sessions').set({ recording: null }).where('id', '=', id).execute();
  }
}
