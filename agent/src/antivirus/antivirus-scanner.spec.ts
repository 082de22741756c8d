import { describe, expect, it } from 'vitest';
import type { DeviceEvents } from '../events/device-event-queue.js';
import { createMemoryLogger } from '../logging/logger.js';
import { CommandNotFoundError } from '../system/command-runner.js';
import type { LineProcessRunner, LineRunOptions } from '../system/line-process.js';
import { DEFAULT_ANTIVIRUS_POLICY } from './antivirus-policy.js';
import { AntivirusScanner, ScanBusyError } from './antivirus-scanner.js';
import { DEBIAN_CLAMAV_PATHS } from './clamav-paths.js';

interface Run {
  bin: string;
  args: readonly string[];
}

/** Answers with recorded ClamAV lines and exit code; `hold` keeps the scan running until released. */
function fakeLines(lines: Array<['stdout' | 'stderr', string]>, exitCode: number | null, hold?: Promise<void>) {
  const runs: Run[] = [];
  const runner: LineProcessRunner = {
    async run(bin, args, options: LineRunOptions) {
      runs.push({ bin, args });
      for (const [stream, line] of lines) options.onLine(stream, line);
      if (hold) await hold;
      return { exitCode, signal: null, timedOut: false, pid: 1 };
    },
  };
  return { runner, runs };
}

function recorder() {
  const events: Array<{ type: string; data: Record<string, unknown> }> = [];
  const sink: DeviceEvents = { emit: (type, data) => events.push({ type, data: data as Record<string, unknown> }) };
  return { events, sink };
}

const clock = { now: () => Date.parse('2026-12-03T10:00:00Z'), setTimeout: () => 0, clearTimeout: () => {} };
let n = 0;
const ids = () => `01SCAN${String(++n).padStart(20, '0')}`;

function scanner(
  lines: LineProcessRunner,
  events: DeviceEvents,
  opts: { clamd?: boolean; policy?: Partial<typeof DEFAULT_ANTIVIRUS_POLICY>; quarantined?: string[] } = {},
) {
  return new AntivirusScanner({
    lines,
    clamdAnswers: async () => opts.clamd ?? false,
    quarantine: {
      quarantine: (path, signature) => {
        if (path.includes('locked')) throw new Error(`EACCES: permission denied, rename '${path}'`);
        opts.quarantined?.push(path);
        return {
          id: `q-${path.split('/').at(-1)}`,
          path,
          signature,
          mode: 0o644,
          uid: 0,
          gid: 0,
          quarantinedAt: '',
          sizeBytes: 68,
        };
      },
    },
    events,
    policy: () => ({ ...DEFAULT_ANTIVIRUS_POLICY, ...opts.policy }),
    clamav: DEBIAN_CLAMAV_PATHS,
    clock,
    ids,
    logger: createMemoryLogger(),
  });
}

describe('AntivirusScanner', () => {
  it('reports what clamscan found, quarantines it, and counts the files looked at', async () => {
    const { runner, runs } = fakeLines(
      [
        ['stdout', '/home/a/clean.txt: OK'],
        ['stdout', '/home/a/eicar.com: Custom.EICAR.Body.UNOFFICIAL FOUND'],
        ['stdout', '/home/a/locked.com: Custom.EICAR.Body.UNOFFICIAL FOUND'],
        ['stdout', '/home/a/empty: Empty file'],
      ],
      1,
    );
    const { events, sink } = recorder();
    const quarantined: string[] = [];
    const s = scanner(runner, sink, { policy: { action: 'quarantine', lowPriority: false }, quarantined });
    const { scanId, finished } = s.start('on-demand', ['/home/a']);
    const done = await finished;
    expect(runs[0]?.bin).toBe('clamscan');
    expect(done).toMatchObject({
      scanId,
      trigger: 'on-demand',
      result: 'infected',
      engine: 'clamscan',
      filesScanned: 4,
      exitCode: 1,
      errors: [],
      detections: [
        {
          path: '/home/a/eicar.com',
          signature: 'Custom.EICAR.Body.UNOFFICIAL',
          action: 'quarantined',
          quarantineId: 'q-eicar.com',
        },
        { path: '/home/a/locked.com', action: 'quarantine-failed', error: expect.stringMatching(/EACCES/) },
      ],
    });
    expect(quarantined).toEqual(['/home/a/eicar.com']);
    expect(events.map((e) => e.type)).toEqual(['antivirus.scan.started', 'antivirus.scan.finished']);
    expect(s.busy).toBe(false);
  });

  it('exit code 2 is an error, never clean, with ClamAV’s own words', async () => {
    const { runner } = fakeLines(
      [
        ['stderr', 'LibClamAV Error: Empty database file'],
        ['stderr', 'ERROR: Malformed database'],
      ],
      2,
    );
    const { sink } = recorder();
    const done = await scanner(runner, sink).start('scheduled', ['/home']).finished;
    expect(done).toMatchObject({
      result: 'error',
      exitCode: 2,
      detections: [],
      errors: ['LibClamAV Error: Empty database file', 'ERROR: Malformed database'],
    });
  });

  it('a path that does not exist is an error in the report', async () => {
    const { runner } = fakeLines([['stderr', "ERROR: Can't access file /nope"]], 2);
    const { sink } = recorder();
    const done = await scanner(runner, sink, { clamd: true }).start('on-demand', ['/nope']).finished;
    expect(done).toMatchObject({ result: 'error', engine: 'clamdscan', errors: ["ERROR: Can't access file /nope"] });
    expect(done).not.toHaveProperty('filesScanned');
  });

  it('report-only leaves the file, and clamdscan answers for excluded paths are dropped', async () => {
    const { runner, runs } = fakeLines(
      [
        ['stdout', '/home/a/.cache/x: Sig FOUND'],
        ['stdout', '/home/a/y: Sig FOUND'],
      ],
      1,
    );
    const { sink } = recorder();
    const s = scanner(runner, sink, {
      clamd: true,
      policy: { action: 'report', exclusions: ['^/home/[^/]+/\\.cache/'] },
    });
    const done = await s.start('on-demand').finished;
    expect(runs[0]).toMatchObject({ bin: 'nice', args: expect.arrayContaining(['clamdscan', '/home']) });
    expect(done.detections).toEqual([{ path: '/home/a/y', signature: 'Sig', action: 'reported' }]);
    expect(done.result).toBe('infected');
  });

  it('ClamAV missing: an error naming the package', async () => {
    const runner: LineProcessRunner = {
      run: async () => {
        throw new CommandNotFoundError('nice is not installed');
      },
    };
    const { sink } = recorder();
    const done = await scanner(runner, sink, { policy: { lowPriority: false } }).start('on-demand', ['/home']).finished;
    expect(done.result).toBe('error');
    expect(done.errors).toEqual([
      'clamscan is not installed: install the Debian package clamav (Bascule installs nothing by itself)',
    ]);
  });

  it('one scan at a time', async () => {
    let release = () => {};
    const hold = new Promise<void>((r) => {
      release = r;
    });
    const { runner } = fakeLines([], 0, hold);
    const { sink } = recorder();
    const s = scanner(runner, sink);
    const first = s.start('on-demand', ['/home']);
    expect(s.busy).toBe(true);
    expect(() => s.start('on-demand', ['/home'])).toThrow(ScanBusyError);
    release();
    expect((await first.finished).result).toBe('clean');
    expect(s.busy).toBe(false);
  });
});

describe('AntivirusScanner under nice', () => {
  it('clamscan missing behind nice (exit 127): the same message', async () => {
    const { runner } = fakeLines([['stderr', "nice: 'clamscan': No such file or directory"]], 127);
    const { sink } = recorder();
    const done = await scanner(runner, sink).start('on-demand', ['/home']).finished;
    expect(done).toMatchObject({ result: 'error', exitCode: 127 });
    expect(done.errors).toEqual([
      'clamscan is not installed: install the Debian package clamav (Bascule installs nothing by itself)',
    ]);
  });
});

describe('AntivirusScanner progress', () => {
  it('sends the files looked at so far every few seconds, and stops when the scan ends', async () => {
    const timers: Array<() => void> = [];
    const cleared: unknown[] = [];
    const fakeClock = {
      now: () => Date.parse('2026-12-03T10:00:00Z'),
      setTimeout: (fn: () => void) => timers.push(fn),
      clearTimeout: (t: unknown) => void cleared.push(t),
    };
    let release = () => {};
    const hold = new Promise<void>((r) => {
      release = r;
    });
    let emitLine: ((s: 'stdout' | 'stderr', l: string) => void) | undefined;
    const runner: LineProcessRunner = {
      async run(_bin, _args, options) {
        emitLine = options.onLine;
        await hold;
        return { exitCode: 0, signal: null, timedOut: false, pid: 1 };
      },
    };
    const { events, sink } = recorder();
    const s = new AntivirusScanner({
      lines: runner,
      clamdAnswers: async () => false,
      quarantine: { quarantine: () => expect.unreachable() as never },
      events: sink,
      policy: () => DEFAULT_ANTIVIRUS_POLICY,
      clamav: DEBIAN_CLAMAV_PATHS,
      clock: fakeClock,
      ids,
      logger: createMemoryLogger(),
      progressMs: 5_000,
    });
    const { scanId, finished } = s.start('scheduled', ['/home']);
    await new Promise((r) => setImmediate(r));
    emitLine?.('stdout', '/home/a: OK');
    emitLine?.('stdout', '/home/b: OK');
    timers.shift()?.();
    emitLine?.('stdout', '/home/c: Empty file');
    timers.shift()?.();
    release();
    const done = await finished;
    expect(events.filter((e) => e.type === 'antivirus.scan.progress').map((e) => e.data)).toEqual([
      { scanId, filesScanned: 2 },
      { scanId, filesScanned: 3 },
    ]);
    expect(done).toMatchObject({ result: 'clean', filesScanned: 3 });
    expect(cleared.length).toBe(1);
  });
});
