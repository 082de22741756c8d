import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CommandFailedError, CommandNotFoundError } from './command-runner.js';

export interface LineRunOptions {
  /** Milliseconds before the process is killed (SIGKILL); the run then resolves with `timedOut`. */
  timeout: number;
  /** Each line of stdout or stderr, as it comes (without the newline). */
  onLine(stream: 'stdout' | 'stderr', line: string): void;
  /** Kills the process (SIGKILL) when aborted (the agent stopping). */
  signal?: AbortSignal;
}

export interface LineRunResult {
  /** null when killed by a signal. */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The process id, for the benchmark's memory samples. */
  pid: number;
}

/**
 * Runs a long command whose output is read line by line while it runs (a scan of /home, which prints
 * one line per file): argv only, never a shell. A command that is not installed rejects with
 * CommandNotFoundError, like the CommandRunner. Tests pass a fake.
 */
export interface LineProcessRunner {
  run(bin: string, args: readonly string[], options: LineRunOptions): Promise<LineRunResult>;
}

export class SpawnLineProcessRunner implements LineProcessRunner {
  run(bin: string, args: readonly string[], options: LineRunOptions): Promise<LineRunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(bin, [...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
        ...(options.signal ? { signal: options.signal } : {}),
        killSignal: 'SIGKILL',
        windowsHide: true,
      });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, options.timeout);
      child.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (err.code === 'ENOENT') reject(new CommandNotFoundError(`${bin} is not installed`));
        else if (err.name !== 'AbortError') reject(new CommandFailedError(`${bin}: ${err.message}`));
      });
      if (child.stdout) createInterface({ input: child.stdout }).on('line', (l) => options.onLine('stdout', l));
      if (child.stderr) createInterface({ input: child.stderr }).on('line', (l) => options.onLine('stderr', l));
      // 'close' rather than 'exit': the lines still in the pipes are delivered first.
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ exitCode: code, signal, timedOut, pid: child.pid ?? -1 });
      });
    });
  }
}
