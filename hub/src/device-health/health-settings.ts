/**
 * Retention and alert thresholds. The defaults below are the product's; `serve --health-raw-days` and
 * `--health-hourly-days` replace the retention (hub.ts passes the result to openHubServices).
 */
export interface HealthSettings {
  /** Raw samples are kept this many days (the 24 h chart reads them). */
  rawRetentionDays: number;
  /** Hourly roll-ups are kept this many days (the 7 d and 1 y charts read them). */
  hourlyRetentionDays: number;
  /** An alert when a file system is fuller than this. */
  diskFullPercent: number;
  /** An alert when a device has not been seen for this long. */
  offlineDays: number;
  /** An alert when a reboot has been required for this long. */
  rebootRequiredDays: number;
  /** An alert when the battery holds less than this share of its design capacity. */
  batteryHealthPercent: number;
  /** An alert when antivirus signatures are older than this. */
  antivirusSignatureDays: number;
}

export const DEFAULT_HEALTH_SETTINGS: HealthSettings = {
  rawRetentionDays: 7,
  hourlyRetentionDays: 400,
  diskFullPercent: 90,
  offlineDays: 3,
  rebootRequiredDays: 7,
  batteryHealthPercent: 60,
  antivirusSignatureDays: 3,
};
