import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { TerminalFrame } from '@bascule/protocol';
import { decodeTerminalFrame, encodeTerminalFrame, TERMINAL_FRAME } from '@bascule/protocol/runtime';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logging/logger.js';
import { TerminalSession } from '../terminal/terminal-session.js';
import { systemClock } from './clock.js';
import type { TerminalSpawnSpec } from './terminal-process.js';
import { SystemTerminalSpawner } from './terminal-spawner.js';

/* Real processes: node-pty and pipes, driven through a TerminalSession as the daemon does. */

const ENV = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', TERM: 'xterm-256color', HOME: '/tmp' };

function spec(pty: boolean, script: string): TerminalSpawnSpec {
  return { pty, file: '/bin/sh', args: ['-c', script], env: ENV, cwd: '/tmp', cols: 100, rows: 30 };
}

async function run(pty: boolean, script: string, input?: Buffer[]) {
  const child = await new SystemTerminalSpawner().spawn(spec(pty, script));
  const frames: TerminalFrame[] = [];
  const session = new TerminalSession(
    {
      sid: '01JD0000000000000000000001',
      mode: 'exec',
      pty,
      as: 'root',
      account: 'root',
      requester: { username: 'alice', via: 'ssh' },
      idleTimeoutSeconds: 60,
      maxDurationSeconds: 600,
    },
    child,
    {
      clock: systemClock,
      logger: createMemoryLogger(),
      publish: (frame) => frames.push(decodeTerminalFrame(frame)),
      onClosed: () => {},
      killGraceMs: 300,
    },
  );
  session.start();
  for (const payload of input ?? []) session.handleFrame(payload);
  return { session, child, frames };
}

const text = (frames: TerminalFrame[], type: number) =>
  Buffer.concat(frames.flatMap((f) => (f.type === type && 'data' in f ? [f.data] : []))).toString();

/**
 * No live member left in the group. Orphans are reaped by PID 1, which in a container may never do
 * it, so a zombie counts as gone (it holds no resources but its pid).
 */
async function groupGone(pgid: number): Promise<boolean> {
  for (let i = 0; i < 50 && liveMembers(pgid) > 0; i++) await new Promise((r) => setTimeout(r, 20));
  return liveMembers(pgid) === 0;
}

function liveMembers(pgid: number): number {
  let live = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces, so split after its closing parenthesis.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') live += 1;
  }
  return live;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('SystemTerminalSpawner (real processes)', () => {
  it('runs a command in a pty of the requested size, with its exit status', async () => {
    const { session, frames } = await run(true, 'stty size; echo hi; exit 7');
    await session.done;
    expect(text(frames, TERMINAL_FRAME.data)).toMatch(/30 100\r\nhi\r\n/);
    expect(frames.at(-2)).toMatchObject({ type: TERMINAL_FRAME.exit, code: 7, signal: null });
    expect(frames.at(-1)).toMatchObject({ type: TERMINAL_FRAME.close, close: { code: 'exit' } });
  });

  it('relays keystrokes and a resize to a pty', async () => {
    const input = [
      encodeTerminalFrame({ type: TERMINAL_FRAME.resize, seq: 1, cols: 120, rows: 40 }),
      encodeTerminalFrame({ type: TERMINAL_FRAME.data, seq: 2, data: Buffer.from('go\n') }),
    ];
    const { session, frames } = await run(true, 'read line; stty size; echo "got $line"', input);
    await session.done;
    expect(text(frames, TERMINAL_FRAME.data)).toMatch(/40 120\r\ngot go/);
  });

  it('runs a command with pipes: stdout and stderr apart, stdin until eof, exit status', async () => {
    const input = [
      encodeTerminalFrame({ type: TERMINAL_FRAME.data, seq: 1, data: Buffer.from('line1\nline2\n') }),
      encodeTerminalFrame({ type: TERMINAL_FRAME.eof, seq: 2 }),
    ];
    const { session, frames } = await run(false, 'wc -l; echo oops >&2; exit 3', input);
    await session.done;
    expect(text(frames, TERMINAL_FRAME.data).trim()).toBe('2');
    expect(text(frames, TERMINAL_FRAME.stderr)).toBe('oops\n');
    expect(frames.at(-2)).toMatchObject({ type: TERMINAL_FRAME.exit, code: 3 });
  });

  it.each([true, false])('reaps the whole process group when closed mid-run (pty: %s)', async (pty) => {
    const { session, child } = await run(pty, 'sleep 100 & sleep 100');
    await new Promise((r) => setTimeout(r, 200));
    expect(groupAlive(child.pid)).toBe(true);
    session.close('client-closed', 'bye', { sendFrame: false });
    await session.done;
    expect(await groupGone(child.pid)).toBe(true);
    expect(existsSync(`/proc/${child.pid}`)).toBe(false);
  });

  it('SIGKILLs a command that ignores the hang-up', async () => {
    const { session, child, frames } = await run(false, "trap '' HUP; sleep 100");
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    session.close('idle-timeout', 'idle');
    await session.done;
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(await groupGone(child.pid)).toBe(true);
    expect(frames.map((f) => f.type)).toEqual([TERMINAL_FRAME.close]);
  });
});
