import type { RetentionSettings } from '../core/settings.js';
import { DEFAULT_HEALTH_SETTINGS } from '../device-health/health-settings.js';
import { DEFAULT_TERMINAL_SETTINGS } from '../terminal/terminal.service.js';

/** An http(s) URL, or an error that says what was expected. */
export function parseGlpiUrl(v: string): string {
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new Error(`--glpi-url: "${v}" is not a URL (expected https://glpi.example.org/)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`--glpi-url: expected an http or https URL, got ${url.protocol}`);
  }
  return v;
}

/** A `redis://` or `rediss://` URL, or an error that says what was expected. */
export function parseRedisUrl(v: string): string {
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new Error('--redis-url: not a URL (expected redis://[:password@]host:6379/0)');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error(`--redis-url: expected a redis:// or rediss:// URL, got ${url.protocol}`);
  }
  return v;
}

/** Comma-separated `mqtts://host:port` URLs, in the order desktops try them. */
export function parseMqttPublicUrls(v: string): string[] {
  const urls = v
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  if (urls.length === 0) throw new Error('--mqtt-public-urls: expected mqtts://host:8883[,mqtts://host2:8883…]');
  for (const u of urls) {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      throw new Error(`--mqtt-public-urls: "${u}" is not a URL (expected mqtts://host:8883)`);
    }
    if (url.protocol !== 'mqtts:' || !url.port) {
      throw new Error(`--mqtt-public-urls: "${u}" must be mqtts://host:port (desktops speak MQTT over TLS only)`);
    }
  }
  return urls;
}

/** A hundred years: more is a typo, not a retention policy. */
const MAX_RETENTION_DAYS = 36_500;

/** A retention in whole days (1 to 36,500), or an error naming the flag. */
export function parseRetentionDays(flag: string, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 1 || n > MAX_RETENTION_DAYS) {
    throw new Error(`${flag}: expected a whole number of days from 1 to ${MAX_RETENTION_DAYS}, got "${v}"`);
  }
  return n;
}

export const DEFAULT_RETENTION: RetentionSettings = {
  healthRawDays: DEFAULT_HEALTH_SETTINGS.rawRetentionDays,
  healthHourlyDays: DEFAULT_HEALTH_SETTINGS.hourlyRetentionDays,
  recordingDays: DEFAULT_TERMINAL_SETTINGS.recordingRetentionDays,
};

/**
 * The flags given, over the defaults. Hourly roll-ups must outlive raw samples: the 7-day and 1-year
 * charts read the roll-ups, so a shorter roll-up retention would leave a hole the raw samples cannot fill.
 */
export function resolveRetention(flags: Partial<RetentionSettings>): RetentionSettings {
  const r: RetentionSettings = {
    healthRawDays: flags.healthRawDays ?? DEFAULT_RETENTION.healthRawDays,
    healthHourlyDays: flags.healthHourlyDays ?? DEFAULT_RETENTION.healthHourlyDays,
    recordingDays: flags.recordingDays ?? DEFAULT_RETENTION.recordingDays,
  };
  if (r.healthHourlyDays < r.healthRawDays) {
    throw new Error(
      `--health-hourly-days (${r.healthHourlyDays}) must be at least --health-raw-days (${r.healthRawDays}): ` +
        'the 7-day and 1-year charts read the hourly roll-ups',
    );
  }
  return r;
}
