import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDateTime,
  formatDuration,
  formatNumber,
  formatPercent,
  formatRelative,
  intlLocale,
} from './format.js';

/** Intl puts no-break spaces (U+00A0, U+202F) where French typography wants them; compare on plain spaces. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

const fr = intlLocale('fr');
const en = intlLocale('en');

describe('intlLocale', () => {
  it('maps the UI locales, French by default', () => {
    expect(fr).toBe('fr-FR');
    expect(en).toBe('en-GB');
    expect(intlLocale('de')).toBe('fr-FR');
  });
});

describe('formatBytes', () => {
  it('uses octets in French and bytes in English', () => {
    expect(plain(formatBytes(7.8 * 1024 ** 3, fr))).toBe('7,8 Go');
    expect(plain(formatBytes(7.8 * 1024 ** 3, en))).toBe('7.8 GB');
    expect(plain(formatBytes(512, fr))).toBe('512 octets');
    expect(plain(formatBytes(512, en))).toBe('512 bytes');
    expect(plain(formatBytes(1536, fr))).toBe('1,5 ko');
    expect(plain(formatBytes(1.5 * 1024 ** 4, en))).toBe('1.5 TB');
  });

  it('drops decimals above 100 units and says "—" for missing values', () => {
    expect(plain(formatBytes(476.9 * 1024 ** 3, fr))).toBe('477 Go');
    expect(formatBytes(undefined, fr)).toBe('—');
    expect(formatBytes(Number.NaN, en)).toBe('—');
  });
});

describe('formatDateTime', () => {
  const iso = '2026-11-25T13:03:00Z';
  it('formats in the locale, in the given time zone', () => {
    expect(plain(formatDateTime(iso, fr, 'Europe/Paris'))).toBe('25/11/2026 14:03');
    expect(plain(formatDateTime(iso, en, 'Europe/Paris'))).toBe('25/11/2026 14:03');
  });
  it('says "—" for no date and echoes an unparseable one', () => {
    expect(formatDateTime(null, fr)).toBe('—');
    expect(formatDateTime('yesterday', fr)).toBe('yesterday');
  });
});

describe('formatRelative', () => {
  const now = new Date('2026-11-25T14:00:00Z');
  it('picks the largest sensible unit', () => {
    expect(plain(formatRelative('2026-11-25T13:57:00Z', fr, now))).toBe('il y a 3 minutes');
    expect(plain(formatRelative('2026-11-25T13:57:00Z', en, now))).toBe('3 minutes ago');
    expect(plain(formatRelative('2026-11-23T14:00:00Z', fr, now))).toBe('avant-hier');
    expect(plain(formatRelative('2026-11-25T11:00:00Z', en, now))).toBe('3 hours ago');
  });
  it('reads the last few seconds as now', () => {
    expect(formatRelative('2026-11-25T13:59:55Z', fr, now)).toBe('maintenant');
    expect(formatRelative('2026-11-25T13:59:55Z', en, now)).toBe('now');
  });
});

describe('formatDuration', () => {
  it('writes uptime in words', () => {
    const s = 3 * 86_400 + 4 * 3600 + 12 * 60 + 7;
    expect(plain(formatDuration(s, fr))).toBe('3 jours, 4 heures et 12 minutes');
    expect(plain(formatDuration(s, en))).toBe('3 days, 4 hours and 12 minutes');
    expect(plain(formatDuration(3600, fr))).toBe('1 heure');
    expect(plain(formatDuration(86_400 + 60, en))).toBe('1 day and 1 minute');
  });
  it('says zero minutes for under a minute and "—" for nonsense', () => {
    expect(plain(formatDuration(42, fr))).toBe('0 minute');
    expect(formatDuration(-1, fr)).toBe('—');
  });
});

describe('formatNumber and formatPercent', () => {
  it('uses the locale separators', () => {
    expect(formatNumber(0.25, fr)).toBe('0,25');
    expect(formatNumber(0.25, en)).toBe('0.25');
    expect(plain(formatNumber(12345.678, fr, 1))).toBe('12 345,7');
    expect(plain(formatPercent(0.42, fr))).toBe('42 %');
    expect(formatPercent(0.42, en)).toBe('42%');
  });
});
