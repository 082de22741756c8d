import type { StateDirectory } from '../system/state-directory.js';
import { FieldReader } from '../validation/field-reader.js';

const RUNTIME_FILE = 'runtime.json';

/** Written by the daemon on every connection change so that `bascule-agent status` can tell. */
export interface RuntimeStatus {
  pid: number;
  startedAt: string;
  connected: boolean;
  lastConnectedAt: string | null;
  updatedAt: string;
}

/** Checks a parsed runtime.json; throws a FieldError naming every bad field. */
export function parseRuntimeStatus(json: unknown): RuntimeStatus {
  const r = new FieldReader(json);
  const status: RuntimeStatus = {
    pid: r.number('pid', { integer: true, positive: true }),
    startedAt: r.string('startedAt'),
    connected: r.boolean('connected'),
    lastConnectedAt: r.nullableString('lastConnectedAt'),
    updatedAt: r.string('updatedAt'),
  };
  r.done();
  return status;
}

export class RuntimeStatusStore {
  constructor(private readonly dir: StateDirectory) {}

  write(status: RuntimeStatus): void {
    this.dir.writeAtomic(RUNTIME_FILE, `${JSON.stringify(status)}\n`);
  }

  /** The last status written, or null if none or unreadable (status then says "not running"). */
  read(): { status: RuntimeStatus | null; problem?: string } {
    const raw = this.dir.read(RUNTIME_FILE);
    if (raw === null) return { status: null };
    try {
      return { status: parseRuntimeStatus(JSON.parse(raw.toString('utf8'))) };
    } catch (err) {
      return { status: null, problem: `${this.dir.path(RUNTIME_FILE)} is unreadable: ${(err as Error).message}` };
    }
  }
}
