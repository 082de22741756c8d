import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const HUB_BIN = path.join(REPO, 'hub/bin/bascule-hub.js');
export const AGENT_BIN = path.join(REPO, 'agent/bin/bascule-agent.js');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bascule-${prefix}-`));
}

/** A child process whose stdout/stderr are kept (for assertions and for debugging a failed test). */
export class Proc {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  private readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    const collect = (stream: NodeJS.ReadableStream | null, into: string[]) => {
      let rest = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        into.push(...lines);
      });
    };
    collect(child.stdout, this.stdout);
    collect(child.stderr, this.stderr);
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** JSON log lines printed so far. */
  logs(): Record<string, unknown>[] {
    return this.stdout.flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  async waitFor<T>(probe: () => T | undefined | null | false, what: string, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (!this.running) throw new Error(`process exited while waiting for ${what}:\n${this.output()}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${this.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  output(): string {
    return [...this.stdout.slice(-40), ...this.stderr.slice(-40)].join('\n');
  }

  /** Resolves with the exit code once the process ends by itself. */
  exit(): Promise<number | null> {
    return this.exited;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }
}

export function spawnNode(args: string[], env: Record<string, string> = {}, nodeBin = process.execPath): Proc {
  return new Proc(spawn(nodeBin, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] }));
}

/** Runs a command to completion and returns its exit code and output. */
export async function runNode(
  args: string[],
  opts: { input?: string; env?: Record<string, string>; nodeBin?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = spawnNode(args, opts.env, opts.nodeBin);
  p.child.stdin?.end(opts.input ?? '');
  const code = await p.exit();
  return { code, stdout: p.stdout.join('\n'), stderr: p.stderr.join('\n') };
}
