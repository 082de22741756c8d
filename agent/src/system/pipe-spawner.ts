import { type ChildProcess, spawn } from 'node:child_process';
import { signalProcessGroup, type TerminalProcess, type TerminalSpawnSpec } from './terminal-process.js';

/**
 * Starts a command with three pipes (stdout and stderr kept apart, bytes untouched), in its own
 * process group so that closing the session reaches whatever it started.
 */
export function spawnPipes(spec: TerminalSpawnSpec): Promise<TerminalProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(spec.file, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      windowsHide: true,
    });
    const onError = (err: Error) => reject(new Error(`cannot start ${spec.file}: ${err.message}`));
    child.once('error', onError);
    child.once('spawn', () => {
      child.off('error', onError);
      resolve(new PipeProcess(child));
    });
  });
}

class PipeProcess implements TerminalProcess {
  constructor(private readonly child: ChildProcess) {
    // A helpdesk that sends input after the command stopped reading must not crash the agent (EPIPE).
    child.stdin?.on('error', () => {});
    child.on('error', () => {});
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  onOutput(listener: (data: Buffer) => void): void {
    this.child.stdout?.on('data', listener);
  }

  onErrorOutput(listener: (data: Buffer) => void): void {
    this.child.stderr?.on('data', listener);
  }

  onExit(listener: (code: number | null, signal: string | null) => void): void {
    // 'close' rather than 'exit': the output still in the pipes is delivered first.
    this.child.once('close', (code, signal) => listener(code, signal));
  }

  write(data: Buffer): void {
    const stdin = this.child.stdin;
    if (stdin && !stdin.destroyed && !stdin.writableEnded) stdin.write(data);
  }

  endInput(): void {
    const stdin = this.child.stdin;
    if (stdin && !stdin.writableEnded) stdin.end();
  }

  resize(): void {}

  pause(): void {
    this.child.stdout?.pause();
    this.child.stderr?.pause();
  }

  resume(): void {
    this.child.stdout?.resume();
    this.child.stderr?.resume();
  }

  signalGroup(signal: NodeJS.Signals | 0): boolean {
    return signalProcessGroup(this.pid, signal);
  }

  dispose(): void {
    this.child.stdout?.removeAllListeners('data');
    this.child.stderr?.removeAllListeners('data');
    this.child.stdin?.destroy();
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
  }
}
