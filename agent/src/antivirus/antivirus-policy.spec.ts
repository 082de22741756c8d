import { describe, expect, it } from 'vitest';
import { FieldError } from '../validation/field-reader.js';
import { DEFAULT_ANTIVIRUS_POLICY, formatAntivirusPolicy, parseAntivirusPolicy } from './antivirus-policy.js';
import { parseRestoreParams, parseScanParams } from './antivirus-rpc.js';

describe('the antivirus policy file', () => {
  it('reads back what apply wrote', () => {
    const policy = {
      ...DEFAULT_ANTIVIRUS_POLICY,
      schedules: [{ paths: ['/home'], days: ['sat' as const], windowStart: '22:00', windowEnd: '06:00' }],
      exclusions: ['^/home/[^/]+/\\.cache/'],
      action: 'quarantine' as const,
    };
    expect(parseAntivirusPolicy(formatAntivirusPolicy(policy))).toEqual(policy);
  });

  it('names each bad field of a file edited by hand', () => {
    const bad = JSON.stringify({ action: 'delete', schedules: [{ paths: ['home'], windowStart: '25:00' }] });
    try {
      parseAntivirusPolicy(bad);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FieldError);
      expect((err as FieldError).issues.map((i) => i.path)).toEqual([
        'action',
        'schedules.0.paths',
        'schedules.0.windowStart',
      ]);
    }
    expect(() => parseAntivirusPolicy('not json')).toThrow(SyntaxError);
  });
});

describe('antivirus RPC params', () => {
  it('scan: optional absolute paths and who asked', () => {
    expect(parseScanParams({ by: 'helen' })).toEqual({ by: 'helen' });
    expect(parseScanParams({ paths: ['/home/a'], by: 'helen' })).toEqual({ paths: ['/home/a'], by: 'helen' });
    expect(() => parseScanParams({ paths: ['/home/../etc', 'rel'], by: '' })).toThrow(
      /by: must not be empty; paths.0: .*paths.1: /,
    );
    expect(() => parseScanParams({ paths: [], by: 'helen' })).toThrow(/paths: expected 1 to 64/);
  });

  it('restore: a quarantine id and who asked', () => {
    expect(parseRestoreParams({ quarantineId: 'a_B-9', by: 'helen' })).toEqual({ quarantineId: 'a_B-9', by: 'helen' });
    expect(() => parseRestoreParams({ quarantineId: '../x', by: 'helen' })).toThrow(
      /quarantineId: expected a quarantine id/,
    );
  });
});
