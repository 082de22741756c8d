import type { ScanSchedule, ScanWeekday } from './antivirus-policy.js';

// Date#getDay: 0 is Sunday.
const DAY_OF: readonly ScanWeekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function minutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function localDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * The window of `schedule` open at `now` (the desktop's local time), named by the day it opened and its
 * start (`2026-12-03T22:00`), or null when none is. A window ending before it starts runs across
 * midnight and belongs to the day it opened on (`days: [fri]`, 22:00–06:00 is open Saturday at 05:00);
 * a window that ends when it starts lasts the whole day.
 */
export function openWindow(
  schedule: Pick<ScanSchedule, 'days' | 'windowStart' | 'windowEnd'>,
  now: Date,
): string | null {
  const start = minutes(schedule.windowStart);
  const end = minutes(schedule.windowEnd);
  const at = now.getHours() * 60 + now.getMinutes();
  const today = DAY_OF[now.getDay()] as ScanWeekday;
  const key = (d: Date) => `${localDate(d)}T${schedule.windowStart}`;
  if (start < end) return schedule.days.includes(today) && at >= start && at < end ? key(now) : null;
  if (start === end) return schedule.days.includes(today) ? key(now) : null;
  if (at >= start && schedule.days.includes(today)) return key(now);
  if (at < end) {
    const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1, 12);
    if (schedule.days.includes(DAY_OF[yesterday.getDay()] as ScanWeekday)) return key(yesterday);
  }
  return null;
}
