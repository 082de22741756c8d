import { describe, expect, it } from 'vitest';
import { failingCount, type GlpiDeviceStatus, glpiDeviceState } from './glpi-status.js';

const device = (over: Partial<GlpiDeviceStatus>): GlpiDeviceStatus => ({
  deviceId: 'd1',
  hostname: 'pc-001',
  pending: false,
  queuedAt: null,
  nextAttemptAt: null,
  attempts: 0,
  lastSuccessAt: null,
  lastFailureAt: null,
  lastError: null,
  ...over,
});

describe('GLPI forwarding status', () => {
  it('says failing while failures since the last success are counted, even after an older success', () => {
    expect(
      glpiDeviceState(
        device({ pending: true, attempts: 2, lastSuccessAt: '2026-11-24T10:00:00Z', lastError: 'HTTP 500' }),
      ),
    ).toBe('failing');
  });

  it('says waiting for a queued inventory not yet tried, sent once it went through', () => {
    expect(glpiDeviceState(device({ pending: true }))).toBe('waiting');
    expect(
      glpiDeviceState(device({ lastSuccessAt: '2026-11-25T10:00:00Z', lastFailureAt: '2026-11-25T09:00:00Z' })),
    ).toBe('sent');
  });

  it('counts the failing devices, none before the status is loaded', () => {
    expect(failingCount(undefined)).toBe(0);
    expect(
      failingCount({ devices: [device({ attempts: 1 }), device({ pending: true }), device({ attempts: 3 })] }),
    ).toBe(2);
  });
});
