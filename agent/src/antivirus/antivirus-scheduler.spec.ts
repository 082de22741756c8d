import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logging/logger.js';
import { MemoryStateFile } from '../system/state-file.js';
import { type AntivirusPolicy, DEFAULT_ANTIVIRUS_POLICY } from './antivirus-policy.js';
import type { ScanFinished } from './antivirus-scanner.js';
import { AntivirusScheduler } from './antivirus-scheduler.js';

function setup(policy: Partial<AntivirusPolicy>, opts: { battery?: boolean } = {}) {
  let now = new Date(2026, 11, 3, 12, 30).getTime(); // Thursday, local time
  const started: string[][] = [];
  const scanner = {
    busy: false,
    start: (_trigger: string, paths?: readonly string[]) => {
      started.push([...(paths ?? [])]);
      return { scanId: `s${started.length}`, finished: Promise.resolve({} as ScanFinished) };
    },
  };
  const runs = new MemoryStateFile();
  const battery = { on: opts.battery ?? false };
  const make = () =>
    new AntivirusScheduler({
      scanner,
      policy: () => ({ ...DEFAULT_ANTIVIRUS_POLICY, ...policy }),
      runs,
      onBattery: () => battery.on,
      clock: { now: () => now, setTimeout: () => 0, clearTimeout: () => {} },
      logger: createMemoryLogger(),
    });
  return { make, started, scanner, runs, battery, set: (d: Date) => (now = d.getTime()) };
}

const lunch = { paths: ['/home'], days: ['thu' as const], windowStart: '12:00', windowEnd: '14:00' };

describe('AntivirusScheduler', () => {
  it('runs a schedule once in its open window, even after a restart', () => {
    const t = setup({ schedules: [lunch] });
    expect(t.make().tick()).toEqual(['2026-12-03T12:00']);
    expect(t.make().tick()).toEqual([]); // a new daemon, same window
    expect(t.started).toEqual([['/home']]);
  });

  it('does not run outside the window, and runs again in the next one', () => {
    const t = setup({ schedules: [{ ...lunch, days: ['thu', 'fri'] }] });
    const s = t.make();
    t.set(new Date(2026, 11, 3, 14, 0));
    expect(s.tick()).toEqual([]);
    t.set(new Date(2026, 11, 4, 12, 1));
    expect(s.tick()).toEqual(['2026-12-04T12:00']);
  });

  it('waits on battery when the policy says so, and runs once on mains in the same window', () => {
    const t = setup({ schedules: [lunch], onlyOnMainsPower: true }, { battery: true });
    const s = t.make();
    expect(s.tick()).toEqual([]);
    t.battery.on = false;
    expect(s.tick()).toEqual(['2026-12-03T12:00']);
  });

  it('runs on battery when the policy allows it', () => {
    const t = setup({ schedules: [lunch], onlyOnMainsPower: false }, { battery: true });
    expect(t.make().tick()).toEqual(['2026-12-03T12:00']);
  });

  it('waits while another scan runs', () => {
    const t = setup({ schedules: [lunch] });
    t.scanner.busy = true;
    const s = t.make();
    expect(s.tick()).toEqual([]);
    t.scanner.busy = false;
    expect(s.tick()).toEqual(['2026-12-03T12:00']);
  });

  it('a schedule changed by a new policy runs in the window it is in', () => {
    const t = setup({ schedules: [lunch] });
    t.make().tick();
    const t2 = setup({ schedules: [{ ...lunch, paths: ['/srv'] }] });
    t2.runs.text = t.runs.text;
    expect(t2.make().tick()).toEqual(['2026-12-03T12:00']);
  });
});
