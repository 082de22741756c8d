/**
 * A process whose terminal (or pipes) the agent relays to the helpdesk. Implemented over node-pty
 * (`pty-spawner.ts`) and child_process pipes (`pipe-spawner.ts`); tests use a fake.
 */
export interface TerminalProcess {
  /** Process id of the leader; it is also its process group id (a session leader, or detached). */
  readonly pid: number;
  /** Output (the pty's, or stdout). Buffers, never decoded. */
  onOutput(listener: (data: Buffer) => void): void;
  /** stderr of a command run without a pty; never called for a pty. */
  onErrorOutput(listener: (data: Buffer) => void): void;
  /**
   * The process ended and its output was all delivered. `code` is null when a signal killed it.
   * Called once.
   */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  write(data: Buffer): void;
  /** End of input: closes stdin of a command without a pty; nothing for a pty (the shell reads ^D). */
  endInput(): void;
  resize(cols: number, rows: number): void;
  /** Stops reading output, so the process blocks on its next write once the kernel buffer is full. */
  pause(): void;
  resume(): void;
  /** Sends `signal` to the whole process group (0: only checks); false when the group no longer exists. */
  signalGroup(signal: NodeJS.Signals | 0): boolean;
  /** Drops the listeners and file descriptors of a process already gone or killed. */
  dispose(): void;
}

/** What to run and how: the account and environment are chosen by the terminal module. */
export interface TerminalSpawnSpec {
  pty: boolean;
  file: string;
  args: readonly string[];
  env: Record<string, string>;
  cwd: string;
  cols: number;
  rows: number;
}

export interface TerminalSpawner {
  /** Rejects (with a message a person can act on) when the process cannot be started. */
  spawn(spec: TerminalSpawnSpec): Promise<TerminalProcess>;
}

/** Sends a signal to a process group; false when there is none left (ESRCH). */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}
