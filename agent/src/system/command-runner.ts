import { execFile } from 'node:child_process';

export interface RunOptions {
  /** Milliseconds before the process is killed (SIGKILL). */
  timeout: number;
  /** Largest stdout accepted, in bytes; beyond it the process is killed and the run fails. */
  maxOutputBytes?: number;
  /** Kills the process (SIGKILL) when aborted, e.g. a dialog still open when the agent stops. */
  signal?: AbortSignal;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The command is not installed (ENOENT): callers treat an optional tool (snap, flatpak) as absent. */
export class CommandNotFoundError extends Error {
  override name = 'CommandNotFoundError';
}

export class CommandFailedError extends Error {
  override name = 'CommandFailedError';
}

/**
 * The one way the agent runs an OS command: argv arrays (never a shell string), a timeout and an
 * output cap. Tests replace it with a fake.
 */
export interface CommandRunner {
  /** Resolves with a non-zero exitCode too; rejects on spawn failure, timeout or oversized output. */
  run(bin: string, args: readonly string[], options: RunOptions): Promise<CommandResult>;
}

const DEFAULT_MAX_OUTPUT = 32 * 1024 * 1024;

export class ProcessCommandRunner implements CommandRunner {
  run(bin: string, args: readonly string[], options: RunOptions): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      execFile(
        bin,
        args,
        {
          timeout: options.timeout,
          killSignal: 'SIGKILL',
          maxBuffer: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT,
          ...(options.signal ? { signal: options.signal } : {}),
          encoding: 'utf8',
          // A stable, parseable output whatever the desktop's language.
          env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
          windowsHide: true,
        },
        (error, stdout, stderr) => {
          if (!error) return resolve({ stdout, stderr, exitCode: 0 });
          const err = error as NodeJS.ErrnoException & { killed?: boolean; code?: unknown; signal?: string };
          const cmd = [bin, ...args].join(' ');
          if (err.code === 'ABORT_ERR') return reject(new CommandFailedError(`${cmd}: aborted`));
          if (err.code === 'ENOENT') return reject(new CommandNotFoundError(`${bin} is not installed`));
          if (err.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
            return reject(
              new CommandFailedError(
                `${cmd}: output larger than the ${options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT}-byte cap`,
              ),
            );
          }
          if (err.killed || err.signal) {
            return reject(
              new CommandFailedError(`${cmd}: killed after ${options.timeout} ms (${err.signal ?? 'timeout'})`),
            );
          }
          if (typeof err.code === 'number') return resolve({ stdout, stderr, exitCode: err.code });
          reject(new CommandFailedError(`${cmd}: ${err.message}`));
        },
      );
    });
  }
}
