import type { Readable } from 'node:stream';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { UserView } from '../auth/user.repository.js';
import type { Clock } from '../core/clock.js';
import { ApiError } from '../http/http-errors.js';
import type { ListQuery } from '../http/list-query.js';
import type { RecordingStore } from './recording.store.js';
import type {
  TerminalSessionFilter,
  TerminalSessionRepository,
  TerminalSessionRow,
  TerminalSessionSortField,
} from './terminal-session.repository.js';

/** A terminal session as the REST API shows it (docs/rest-api.md). */
export interface TerminalSessionView {
  id: string;
  userId: string;
  username: string;
  deviceId: string;
  hostname: string;
  via: 'ssh' | 'web';
  mode: 'shell' | 'exec';
  runAs: 'root' | 'user';
  command: string | null;
  clientAddress: string | null;
  startedAt: string;
  endedAt: string | null;
  /** Whole seconds from start to end (to now while the session runs). */
  durationSeconds: number;
  active: boolean;
  bytesIn: number;
  bytesOut: number;
  exitCode: number | null;
  exitSignal: string | null;
  /** A TerminalCloseCode, or `refused:<TerminalOpenErrorCode>`; null while the session runs. */
  endReason: string | null;
  endMessage: string | null;
  /** Whether the asciicast recording can still be downloaded (retention deletes old ones). */
  hasRecording: boolean;
}

export function toTerminalSessionView(r: TerminalSessionRow, now: Date): TerminalSessionView {
  const end = r.ended_at ? Date.parse(r.ended_at) : now.getTime();
  return {
    id: r.id,
    userId: r.user_id,
    username: r.username,
    deviceId: r.device_id,
    hostname: r.hostname,
    via: r.via,
    mode: r.mode,
    runAs: r.run_as,
    command: r.command,
    clientAddress: r.client_address,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    durationSeconds: Math.max(0, Math.round((end - Date.parse(r.started_at)) / 1000)),
    active: r.ended_at === null,
    bytesIn: r.bytes_in,
    bytesOut: r.bytes_out,
    exitCode: r.exit_code,
    exitSignal: r.exit_signal,
    endReason: r.end_reason,
    endMessage: r.end_message,
    hasRecording: r.recording !== null,
  };
}

/** The audit trail of terminal sessions, and their recordings, for the admin UI. */
export class TerminalHistoryService {
  constructor(
    private readonly sessions: TerminalSessionRepository,
    private readonly recordings: RecordingStore,
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
  ) {}

  async list(
    q: Omit<ListQuery<TerminalSessionSortField>, 'filter'> & { filter: TerminalSessionFilter },
  ): Promise<{ rows: TerminalSessionView[]; total: number }> {
    const { rows, total } = await this.sessions.list(q);
    const now = this.clock.now();
    return { rows: rows.map((r) => toTerminalSessionView(r, now)), total };
  }

  async get(id: string): Promise<TerminalSessionView> {
    return toTerminalSessionView(await this.row(id), this.clock.now());
  }

  /** The session's asciicast file as a stream (audited), or a 404 saying why there is none. */
  async recording(id: string, by: UserView): Promise<{ stream: Readable; filename: string }> {
    const row = await this.row(id);
    const file = row.recording;
    const stream = file ? this.recordings.open(file) : undefined;
    if (!stream) {
      throw ApiError.notFound(
        row.recording === null && row.ended_at !== null
          ? 'this session’s recording is no longer kept: it was deleted under the recording retention setting, or could not be written'
          : 'this session’s recording file is missing from the hub’s data directory',
      );
    }
    await this.audit.record({
      ts: this.clock.now().toISOString(),
      actor: by.username,
      action: 'terminal.recording_download',
      target: row.device_id,
      detail: { sid: row.id },
    });
    const stamp = row.started_at.slice(0, 19).replace(/[:T]/g, '-');
    return { stream, filename: `${safeName(row.hostname)}-${stamp}-${row.id}.cast` };
  }

  private async row(id: string): Promise<TerminalSessionRow> {
    const row = await this.sessions.findById(id);
    if (!row) throw ApiError.notFound(`no terminal session ${id}`);
    return row;
  }
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64) || 'device';
}
