import type { HealthSample } from '@bascule/protocol';
import type { AlertService } from '../alerts/alert.service.js';
import type { Clock } from '../core/clock.js';
import { yieldToEventLoop } from '../core/event-loop.js';
import type { Logger } from '../core/logger.js';
import type { DeviceRepository } from '../devices/device.repository.js';
import { ApiError } from '../http/http-errors.js';
import type { HealthRepository, HourlyRow } from './health.repository.js';
import { type HealthPoint, hourOf, pointOf, rollUp } from './health-rollup.js';
import type { HealthSettings } from './health-settings.js';

export const HEALTH_RANGES = ['24h', '7d', '1y'] as const;
export type HealthRange = (typeof HEALTH_RANGES)[number];

const RANGE_MS: Record<HealthRange, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000, '1y': 365 * 86_400_000 };
const DAY_MS = 86_400_000;
/** Hours rolled up per batch, so that a backlog (a hub down for days) never holds the database long. */
const ROLLUP_BATCH = 500;

/** `GET /devices/{id}/health`: raw points for 24 h, hourly roll-ups for 7 d and 1 y. */
export interface HealthSeries {
  deviceId: string;
  range: HealthRange;
  resolution: 'raw' | 'hour';
  from: string;
  to: string;
  points: HealthPoint[];
}

/**
 * What the hub does with health samples once stored: marks their hours for the roll-up, asks for the
 * alerts that samples decide, and in the hourly housekeeping rolls up, applies retention and evaluates
 * the alerts that time or the inventory decide.
 */
export class DeviceHealthService {
  constructor(
    private readonly repo: HealthRepository,
    private readonly devices: DeviceRepository,
    private readonly alerts: AlertService,
    private readonly settings: HealthSettings,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Called by ingest after a `health` message was stored. */
  async onSamples(deviceId: string, samples: readonly HealthSample[]): Promise<void> {
    await this.repo.markPending(deviceId, [...new Set(samples.map((s) => hourOf(s.ts)))]);
    const latest = samples.reduce((a, b) => (b.ts > a.ts ? b : a));
    await this.alerts.evaluateSample(deviceId, latest);
  }

  async series(deviceId: string, range: string | undefined): Promise<HealthSeries> {
    const r = (range ?? '24h') as HealthRange;
    if (!HEALTH_RANGES.includes(r)) throw ApiError.badRequest(`range must be one of ${HEALTH_RANGES.join(', ')}`);
    if (!(await this.devices.findById(deviceId))) throw ApiError.notFound(`no device ${deviceId}`);
    const to = this.clock.now();
    const from = new Date(to.getTime() - RANGE_MS[r]).toISOString();
    const points =
      r === '24h'
        ? (await this.repo.samples(deviceId, from)).map((d) => pointOf(JSON.parse(d) as HealthSample))
        : (await this.repo.hourly(deviceId, hourOf(from))).map(fromRow);
    return { deviceId, range: r, resolution: r === '24h' ? 'raw' : 'hour', from, to: to.toISOString(), points };
  }

  /** The hourly work: roll-ups, retention, then the alerts that depend on time and inventory. */
  async housekeep(): Promise<void> {
    const t0 = performance.now();
    const hours = await this.rollUpPending();
    const t1 = performance.now();
    const now = this.clock.now().getTime();
    const purged = await this.repo.purge(
      new Date(now - this.settings.rawRetentionDays * DAY_MS).toISOString(),
      new Date(now - this.settings.hourlyRetentionDays * DAY_MS).toISOString(),
    );
    const t2 = performance.now();
    const alerts = await this.alerts.evaluateAll();
    const ms = { rollUp: Math.round(t1 - t0), purge: Math.round(t2 - t1), alerts: Math.round(performance.now() - t2) };
    this.logger.info('health housekeeping', { hoursRolledUp: hours, purged, ...alerts, ms });
  }

  /** Rolls up every hour that received samples since its last roll-up; returns how many. */
  async rollUpPending(): Promise<number> {
    let done = 0;
    for (;;) {
      const batch = await this.repo.pending(ROLLUP_BATCH);
      for (const { device_id: deviceId, hour } of batch) {
        const end = new Date(new Date(hour).getTime() + 3_600_000).toISOString();
        const samples = (await this.repo.samples(deviceId, hour, end)).map((d) => JSON.parse(d) as HealthSample);
        await this.repo.saveHourly(samples.length ? toRow(deviceId, rollUp(hour, samples)) : undefined, deviceId, hour);
        done++;
        await yieldToEventLoop();
      }
      if (batch.length < ROLLUP_BATCH) return done;
    }
  }
}

function toRow(deviceId: string, p: HealthPoint): HourlyRow {
  return {
    device_id: deviceId,
    hour: p.ts,
    samples: p.samples,
    load1_avg: p.load1,
    load1_max: p.load1Max,
    mem_used_pct_avg: p.memUsedPct,
    mem_used_pct_max: p.memUsedPctMax,
    swap_used_pct_max: p.swapUsedPctMax,
    disk_used_pct_max: p.diskUsedPctMax,
    disks_json: JSON.stringify(p.disks),
    temp_max_c: p.tempMaxC,
    battery_pct_min: p.batteryPctMin,
  };
}

function fromRow(r: HourlyRow): HealthPoint {
  return {
    ts: r.hour,
    samples: r.samples,
    load1: r.load1_avg,
    load1Max: r.load1_max,
    memUsedPct: r.mem_used_pct_avg,
    memUsedPctMax: r.mem_used_pct_max,
    swapUsedPctMax: r.swap_used_pct_max,
    diskUsedPctMax: r.disk_used_pct_max,
    disks: r.disks_json ? (JSON.parse(r.disks_json) as Record<string, number>) : {},
    tempMaxC: r.temp_max_c,
    batteryPctMin: r.battery_pct_min,
  };
}
