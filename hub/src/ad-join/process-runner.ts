import { spawn } from 'node:child_process';

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program with an argv array (never a shell string), optional stdin and a timeout. */
export class ProcessRunner {
  run(bin: string, args: string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<ProcessResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 60_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        if (stdout.length < 65_536) stdout += c;
      });
      child.stderr.setEncoding('utf8').on('data', (c: string) => {
        if (stderr.length < 65_536) stderr += c;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      // A program that exits without reading its input (a failing check, a usage error) closes the pipe:
      // EPIPE there is not the run's outcome, its exit code and stderr are.
      child.stdin.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') reject(err);
      });
      child.stdin.end(opts.stdin ?? '');
    });
  }
}
