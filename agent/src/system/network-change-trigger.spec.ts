import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../logging/logger.js';
import { systemClock } from './clock.js';
import { FakeOsFiles } from './fake-os-files.js';
import { linuxNetworkFingerprint, NetworkChangeTrigger } from './network-change-trigger.js';

const ROUTE_HEADER = 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n';

describe('NetworkChangeTrigger', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls back when the fingerprint changes, not on the first look nor when it stays', async () => {
    let state = 'eth0 192.0.2.10';
    const onChange = vi.fn();
    const trigger = new NetworkChangeTrigger(async () => state, 60_000, systemClock, createMemoryLogger());
    trigger.start(onChange);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(onChange).not.toHaveBeenCalled();
    state = 'wlan0 198.51.100.7';
    await vi.advanceTimersByTimeAsync(60_000);
    expect(onChange).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(180_000);
    expect(onChange).toHaveBeenCalledTimes(1);
    trigger.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps looking after a failed look', async () => {
    const logger = createMemoryLogger();
    let calls = 0;
    const trigger = new NetworkChangeTrigger(
      async () => {
        calls++;
        throw new Error('EACCES');
      },
      1_000,
      systemClock,
      logger,
    );
    trigger.start(() => {});
    await vi.advanceTimersByTimeAsync(2_000);
    trigger.stop();
    expect(calls).toBe(3);
    expect(logger.events.some((e) => e.msg === 'inventory: network change not checked')).toBe(true);
  });

  it('sees a new default route in /proc/net/route', async () => {
    const files: Record<string, string> = {
      '/proc/net/route': `${ROUTE_HEADER}eth0\t00000000\t0102000A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n`,
    };
    const fingerprint = linuxNetworkFingerprint(new FakeOsFiles(files));
    const before = await fingerprint();
    files['/proc/net/route'] = `${ROUTE_HEADER}wwan0\t00000000\t00000000\t0001\t0\t0\t700\t00000000\t0\t0\t0\n`;
    expect(await fingerprint()).not.toBe(before);
  });
});
