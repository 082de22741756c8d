import { describe, expect, it } from 'vitest';
import { DEBIAN_CLAMAV_PATHS } from './clamav-paths.js';
import { parseScanLine, scanResultOf } from './clamav-scan-output.js';
import { scanCommand } from './scan-command.js';

describe('parseScanLine', () => {
  it.each([
    ['/home/a/clean.txt: OK', { kind: 'ok', path: '/home/a/clean.txt' }],
    [
      '/home/a/eicar.com: Custom.EICAR.Body.UNOFFICIAL FOUND',
      { kind: 'found', path: '/home/a/eicar.com', signature: 'Custom.EICAR.Body.UNOFFICIAL' },
    ],
    // A path with ": " in it: cut at the last one.
    [
      '/home/a/notes: 2026.pdf: Win.Test.EICAR_HDB-1 FOUND',
      { kind: 'found', path: '/home/a/notes: 2026.pdf', signature: 'Win.Test.EICAR_HDB-1' },
    ],
    ['/home/a/empty: Empty file', { kind: 'skipped', path: '/home/a/empty', why: 'Empty file' }],
    ['/home/a/link: Symbolic link', { kind: 'skipped', path: '/home/a/link', why: 'Symbolic link' }],
    ['/home/a/.cache/x: Excluded', { kind: 'skipped', path: '/home/a/.cache/x', why: 'Excluded' }],
    ['/nope: No such file or directory', { kind: 'error', message: '/nope: No such file or directory' }],
    ['/root/x: Access denied. ERROR', { kind: 'error', message: '/root/x: Access denied' }],
    ['/home: OK', { kind: 'ok', path: '/home' }],
    ['', { kind: 'other' }],
  ])('stdout %j', (line, expected) => {
    expect(parseScanLine('stdout', line)).toEqual(expected);
  });

  it.each([
    ["ERROR: Can't access file /nope", "ERROR: Can't access file /nope"],
    ["WARNING: /nope: Can't access file", "WARNING: /nope: Can't access file"],
    ['LibClamAV Error: Empty database file', 'LibClamAV Error: Empty database file'],
    ['ERROR: Malformed database', 'ERROR: Malformed database'],
  ])('stderr %j is an error', (line, message) => {
    expect(parseScanLine('stderr', line)).toEqual({ kind: 'error', message });
  });

  it('ignores other stderr chatter', () => {
    expect(parseScanLine('stderr', 'Loading:     0s, ETA:   0s [========================>]')).toEqual({
      kind: 'other',
    });
  });
});

describe('scanResultOf', () => {
  it('is clean only for exit 0 with nothing found, and an error for 2, a kill, or 1 with nothing read', () => {
    expect(scanResultOf(0, 0)).toBe('clean');
    expect(scanResultOf(1, 2)).toBe('infected');
    expect(scanResultOf(2, 0)).toBe('error');
    expect(scanResultOf(2, 1)).toBe('error');
    expect(scanResultOf(null, 0)).toBe('error');
    expect(scanResultOf(1, 0)).toBe('error');
    expect(scanResultOf(0, 1)).toBe('error');
  });
});

describe('scanCommand', () => {
  const base = {
    paths: ['/home'],
    exclusions: ['^/home/[^/]+/\\.cache/'],
    maxFileSizeMiB: 50,
    clamav: DEBIAN_CLAMAV_PATHS,
  };

  it('clamscan: recursive, database, limits and exclusions, at idle priority', () => {
    expect(scanCommand({ ...base, engine: 'clamscan', lowPriority: true })).toEqual({
      bin: 'nice',
      args: [
        '-n',
        '19',
        'ionice',
        '-c',
        '3',
        'clamscan',
        '-r',
        '--no-summary',
        '--database=/var/lib/clamav',
        '--max-filesize=50M',
        '--max-scansize=50M',
        '--exclude=^/home/[^/]+/\\.cache/',
        '--',
        '/home',
      ],
    });
  });

  it('clamdscan: clamd.conf, multiscan and fd passing, at normal priority when asked', () => {
    expect(scanCommand({ ...base, engine: 'clamdscan', lowPriority: false })).toEqual({
      bin: 'clamdscan',
      args: ['-c', '/etc/clamav/clamd.conf', '--no-summary', '-m', '--fdpass', '--', '/home'],
    });
  });
});
