/**
 * Locale-aware formatting with Intl only (no library): the UI locale ("fr" / "en") maps to a
 * BCP 47 tag, and every helper takes that tag so specs can pin the output.
 */

/** UI locale → Intl locale. English uses en-GB: day-month order and a 24-hour clock, as in France. */
export function intlLocale(uiLocale: string): string {
  return uiLocale === 'en' ? 'en-GB' : 'fr-FR';
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte', 'petabyte'] as const;

/**
 * Bytes with binary multiples (what `free` and the file managers show), labelled with the
 * locale's unit names: "7,8 Go" in French, "7.8 GB" in English.
 */
export function formatBytes(bytes: number | null | undefined, locale: string): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: BYTE_UNITS[unit],
    // "512 octets" / "512 bytes" reads better than the short "512 o" / "512 byte".
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1,
  }).format(value);
}

/**
 * "25/11/2026 14:03" (fr-FR) / "25/11/2026 14:03" (en-GB): numeric, so that dates line up in lists and
 * read the same in both languages.
 */
export function formatDateTime(iso: string | null | undefined, locale: string, timeZone?: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  })
    .format(date)
    .replace(',', '');
}

const RELATIVE_STEPS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** "il y a 3 minutes" / "3 minutes ago", relative to `now`. */
export function formatRelative(iso: string | null | undefined, locale: string, now: Date = new Date()): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let value = (date.getTime() - now.getTime()) / 1000;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(value) < size) {
      // Anything under ten seconds reads as "now" rather than a jittery count.
      if (unit === 'second' && Math.abs(value) < 10) return rtf.format(0, 'second');
      return rtf.format(Math.round(value), unit);
    }
    value /= size;
  }
  return rtf.format(Math.round(value), 'year');
}

/**
 * A duration in words, at most the two or three largest units:
 * "3 jours, 4 heures et 12 minutes" / "3 days, 4 hours and 12 minutes".
 */
export function formatDuration(seconds: number | null | undefined, locale: string): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const total = Math.floor(seconds);
  const parts: Array<[string, number]> = [
    ['day', Math.floor(total / 86_400)],
    ['hour', Math.floor((total % 86_400) / 3600)],
    ['minute', Math.floor((total % 3600) / 60)],
  ];
  const words = parts
    .filter(([, n]) => n > 0)
    .map(([unit, n]) => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(n));
  if (words.length === 0) {
    return new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'long' }).format(0);
  }
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(words);
}

/** A plain number with the locale's separators and at most `digits` decimals: "0,25" / "0.25". */
export function formatNumber(value: number | null | undefined, locale: string, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

/** A ratio 0..1 as a percentage: "42 %" (fr, with a narrow no-break space) / "42%" (en). */
export function formatPercent(ratio: number | null | undefined, locale: string): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}
