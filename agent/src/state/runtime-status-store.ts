import { z } from 'zod';
import type { StateDirectory } from '../system/state-directory.js';

const RUNTIME_FILE = 'runtime.json';

/** Written by the daemon on every connection change so that `bascule-agent status` can tell. */
export const runtimeStatusSchema = z.object({
  pid: z.number().int().positive(),
  startedAt: z.string(),
  connected: z.boolean(),
  lastConnectedAt: z.string().nullable(),
  updatedAt: z.string(),
});

export type RuntimeStatus = z.infer<typeof runtimeStatusSchema>;

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
      return { status: runtimeStatusSchema.parse(JSON.parse(raw.toString('utf8'))) };
    } catch (err) {
      return { status: null, problem: `${this.dir.path(RUNTIME_FILE)} is unreadable: ${(err as Error).message}` };
    }
  }
}
