import { useMemo } from 'react';
import { useLocaleState } from 'react-admin';
import {
  formatBytes,
  formatDateTime,
  formatDuration,
  formatNumber,
  formatPercent,
  formatRelative,
  intlLocale,
} from './format.js';

/** The formatting helpers bound to the UI's active locale (they re-render when it changes). */
export function useFormat() {
  const [uiLocale] = useLocaleState();
  return useMemo(() => {
    const locale = intlLocale(uiLocale);
    return {
      locale,
      bytes: (n: number | null | undefined) => formatBytes(n, locale),
      dateTime: (iso: string | null | undefined) => formatDateTime(iso, locale),
      relative: (iso: string | null | undefined) => formatRelative(iso, locale),
      duration: (seconds: number | null | undefined) => formatDuration(seconds, locale),
      number: (n: number | null | undefined, digits?: number) => formatNumber(n, locale, digits),
      percent: (ratio: number | null | undefined) => formatPercent(ratio, locale),
    };
  }, [uiLocale]);
}
