import { describe, expect, it } from 'vitest';
import {
  validateClockTime,
  validateDays,
  validateExclusions,
  validateMirrorUrl,
  validatePaths,
} from './antivirus-policy.js';
import { DEFAULT_DOCUMENTS, documentFor } from './policy.js';

const err = (key: string) => `bascule.policies.antivirus.errors.${key}`;

describe('antivirus policy form', () => {
  it('says in the UI’s words what the hub’s schema would refuse', () => {
    expect(validateMirrorUrl('')).toBeUndefined();
    expect(validateMirrorUrl('http://clamav.ville.fr')).toBeUndefined();
    expect(validateMirrorUrl('https://miroir.ville.fr/clamav')).toBeUndefined();
    expect(validateMirrorUrl('ftp://clamav.ville.fr')).toBe(err('mirror_url'));
    expect(validateMirrorUrl('http://a b')).toBe(err('mirror_url'));
    expect(validatePaths(['/home', '/srv/partages'])).toBeUndefined();
    expect(validatePaths([])).toBe(err('paths_required'));
    expect(validatePaths(['home'])).toBe(err('absolute_path'));
    expect(validatePaths(['/home/../etc'])).toBe(err('dot_dot'));
    expect(validateDays(['mon'])).toBeUndefined();
    expect(validateDays([])).toBe(err('days_required'));
    expect(validateClockTime('22:00')).toBeUndefined();
    expect(validateClockTime('24:00')).toBe(err('clock_time'));
    expect(validateClockTime('9:30')).toBe(err('clock_time'));
    expect(validateExclusions(['^/home/[^/]+/\\.cache/'])).toBeUndefined();
    expect(validateExclusions(['(unclosed'])).toBe(err('exclusion_regex'));
  });

  it('keeps the module’s fields only, without what emptied inputs leave', () => {
    const form = {
      ...DEFAULT_DOCUMENTS.antivirus,
      signatures: { mirrorUrl: '', checksPerDay: 4 },
      schedules: [{ paths: ['/home'], days: ['mon', 'fri'], windowStart: '22:00', windowEnd: '06:00', extra: 1 }],
      exclusions: ['^/proc/'],
      action: 'report',
      maxFileSizeMiB: 50,
      // What a form switched from another module still holds.
      printers: [],
      enabled: true,
      domain: 'corp.example.fr',
    };
    expect(documentFor('antivirus', form)).toEqual({
      signatures: { checksPerDay: 4 },
      daemon: false,
      schedules: [{ paths: ['/home'], days: ['mon', 'fri'], windowStart: '22:00', windowEnd: '06:00' }],
      exclusions: ['^/proc/'],
      action: 'report',
      onlyOnMainsPower: true,
      lowPriority: true,
      scanBeforeVpn: false,
      maxFileSizeMiB: 50,
    });
  });
});
