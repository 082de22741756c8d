import type { IPty } from 'node-pty';
import { signalProcessGroup, type TerminalProcess, type TerminalSpawnSpec } from './terminal-process.js';

type NodePty = typeof import('node-pty');

let nodePty: Promise<NodePty> | undefined;

/**
 * node-pty is loaded on the first session only: the idle daemon has a 64 MiB budget and most desktops
 * never see a remote terminal.
 */
function loadNodePty(): Promise<NodePty> {
  nodePty ??= import('node-pty').then((m) => ((m as { default?: NodePty }).default ?? m) as NodePty);
  return nodePty;
}

/** Starts `spec.file` in a new pty (its own session and process group). */
export async function spawnPty(spec: TerminalSpawnSpec): Promise<TerminalProcess> {
  const pty = await loadNodePty();
  const term = pty.spawn(spec.file, [...spec.args], {
    name: spec.env.TERM ?? 'xterm-256color',
    cols: spec.cols,
    rows: spec.rows,
    cwd: spec.cwd,
    env: spec.env,
    // Raw bytes both ways: the helpdesk's terminal decodes them, and a split UTF-8 sequence stays intact.
    encoding: null,
  });
  return new PtyProcess(term);
}

class PtyProcess implements TerminalProcess {
  private readonly disposables: Array<{ dispose(): void }> = [];
  private exited = false;

  constructor(private readonly term: IPty) {}

  get pid(): number {
    return this.term.pid;
  }

  onOutput(listener: (data: Buffer) => void): void {
    // With `encoding: null` node-pty hands over Buffers; its typings still say string.
    this.disposables.push(this.term.onData((data) => listener(data as unknown as Buffer)));
  }

  onErrorOutput(): void {}

  onExit(listener: (code: number | null, signal: string | null) => void): void {
    this.disposables.push(
      this.term.onExit(({ exitCode, signal }) => {
        this.exited = true;
        listener(signal ? null : exitCode, signal ? signalName(signal) : null);
      }),
    );
  }

  write(data: Buffer): void {
    if (!this.exited) this.term.write(data);
  }

  endInput(): void {}

  resize(cols: number, rows: number): void {
    if (!this.exited) this.term.resize(cols, rows);
  }

  pause(): void {
    this.term.pause();
  }

  resume(): void {
    this.term.resume();
  }

  signalGroup(signal: NodeJS.Signals | 0): boolean {
    return signalProcessGroup(this.term.pid, signal);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    // Closes the master side; node-pty would otherwise keep the fd until garbage collection.
    (this.term as IPty & { destroy?: () => void }).destroy?.();
  }
}

const SIGNAL_NAMES: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  6: 'SIGABRT',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  13: 'SIGPIPE',
  15: 'SIGTERM',
};

function signalName(signal: number): string {
  return SIGNAL_NAMES[signal] ?? `SIG${signal}`;
}
