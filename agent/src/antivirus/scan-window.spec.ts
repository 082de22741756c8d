import { describe, expect, it } from 'vitest';
import { openWindow } from './scan-window.js';

// Local time (the desktop's); 2026-12-03 is a Thursday.
const at = (day: number, hh: number, mm = 0) => new Date(2026, 11, day, hh, mm);
const all = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

describe('openWindow', () => {
  it('a daytime window: open from its start (included) to its end (excluded)', () => {
    const s = { days: [...all], windowStart: '12:00', windowEnd: '14:00' };
    expect(openWindow(s, at(3, 11, 59))).toBeNull();
    expect(openWindow(s, at(3, 12, 0))).toBe('2026-12-03T12:00');
    expect(openWindow(s, at(3, 13, 59))).toBe('2026-12-03T12:00');
    expect(openWindow(s, at(3, 14, 0))).toBeNull();
  });

  it('only on its days', () => {
    const s = { days: ['mon', 'fri'] as ('mon' | 'fri')[], windowStart: '12:00', windowEnd: '14:00' };
    expect(openWindow(s, at(3, 12, 30))).toBeNull(); // Thursday
    expect(openWindow(s, at(4, 12, 30))).toBe('2026-12-04T12:00'); // Friday
  });

  it('across midnight: belongs to the day it opened on', () => {
    const s = { days: ['fri'] as 'fri'[], windowStart: '22:00', windowEnd: '06:00' };
    expect(openWindow(s, at(4, 21, 59))).toBeNull();
    expect(openWindow(s, at(4, 23, 0))).toBe('2026-12-04T22:00'); // Friday night
    expect(openWindow(s, at(5, 5, 59))).toBe('2026-12-04T22:00'); // Saturday morning, Friday's window
    expect(openWindow(s, at(5, 6, 0))).toBeNull();
    expect(openWindow(s, at(4, 3, 0))).toBeNull(); // Friday morning: Thursday's window, not scheduled
    expect(openWindow(s, at(5, 23, 0))).toBeNull(); // Saturday night
  });

  it('across midnight at the end of a month', () => {
    const s = { days: [...all], windowStart: '23:30', windowEnd: '00:30' };
    expect(openWindow(s, new Date(2027, 0, 1, 0, 10))).toBe('2026-12-31T23:30');
  });

  it('a window that ends when it starts lasts the whole day', () => {
    const s = { days: ['thu'] as 'thu'[], windowStart: '00:00', windowEnd: '00:00' };
    expect(openWindow(s, at(3, 0, 0))).toBe('2026-12-03T00:00');
    expect(openWindow(s, at(3, 23, 59))).toBe('2026-12-03T00:00');
    expect(openWindow(s, at(4, 0, 1))).toBeNull();
  });
});
