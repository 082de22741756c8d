import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { ApiError } from '../http/http-errors.js';
import type { RegistryRepository } from './registry.repository.js';
import type {
  DepartmentFigures,
  PhaseFigures,
  RegistryDashboardRepository,
  StatusCounts,
  TrendPoint,
} from './registry-dashboard.repository.js';

/** A share in percent with one decimal; 0 for an empty set. */
export const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

export interface DepartmentProgress extends DepartmentFigures {
  /** Migrated machines over all the machines of the department and its sub-departments. */
  migratedPct: number;
}

export interface OrganisationProgress {
  total: number;
  counts: StatusCounts;
  migratedPct: number;
  /** Machines imported without a department (counted in the organisation, in no department). */
  unassigned: number;
}

export interface Dashboard {
  generatedAt: string;
  organisation: OrganisationProgress;
  departments: DepartmentProgress[];
  phases: PhaseFigures[];
  exceptions: { reason: string; count: number; withWorkaround: number }[];
}

const DAY_MS = 86_400_000;
/** How often the timer looks whether today's snapshot exists (it takes one a day). */
const SNAPSHOT_CHECK_MS = 3_600_000;

/**
 * The migration dashboard's figures, aggregated by the hub in SQL, and the daily snapshot behind its
 * trend. start() takes today's snapshot if missing and checks every hour; stop() ends the timer.
 */
export class RegistryDashboardService {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repo: RegistryDashboardRepository,
    private readonly registry: Pick<RegistryRepository, 'department'>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.snapshotIfMissing();
    this.timer = setInterval(() => void this.snapshotIfMissing(), SNAPSHOT_CHECK_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async dashboard(): Promise<Dashboard> {
    const [organisation, departments, phases, exceptions] = await Promise.all([
      this.organisation(),
      this.departments(),
      this.repo.byPhase(),
      this.repo.exceptionsByReason(),
    ]);
    return { generatedAt: this.clock.now().toISOString(), organisation, departments, phases, exceptions };
  }

  async organisation(): Promise<OrganisationProgress> {
    const counts = await this.repo.counts();
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    return { total, counts, migratedPct: percent(counts.migrated, total), unassigned: await this.repo.unassigned() };
  }

  async departments(): Promise<DepartmentProgress[]> {
    return (await this.repo.byDepartment()).map((d) => ({ ...d, migratedPct: percent(d.counts.migrated, d.total) }));
  }

  phases(): Promise<PhaseFigures[]> {
    return this.repo.byPhase();
  }

  exceptions() {
    return this.repo.exceptionsByReason();
  }

  /** Daily points, by default the last 90 days; for one department, its subtree. */
  async trend(q: { from?: string; to?: string; departmentId?: string }): Promise<TrendPoint[]> {
    const day = (key: string, v: string | undefined, fallback: string) => {
      if (v === undefined) return fallback;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) {
        throw ApiError.badRequest(`${key} must be a day such as 2026-12-01`);
      }
      return v;
    };
    const now = this.clock.now().getTime();
    const to = day('to', q.to, dayOf(now));
    const from = day('from', q.from, dayOf(now - 89 * DAY_MS));
    if (q.departmentId !== undefined && !(await this.registry.department(q.departmentId))) {
      throw ApiError.notFound(`no department ${q.departmentId}`);
    }
    return this.repo.trend(from, to, q.departmentId);
  }

  /** Takes (or takes again) today's snapshot: the counts of now per department and status. */
  async snapshot(): Promise<{ day: string; rows: number }> {
    const day = dayOf(this.clock.now().getTime());
    const rows = await this.repo.snapshot(day);
    this.logger.info('registry snapshot taken', { day, rows });
    return { day, rows };
  }

  private async snapshotIfMissing(): Promise<void> {
    try {
      if (!(await this.repo.hasSnapshot(dayOf(this.clock.now().getTime())))) await this.snapshot();
    } catch (err) {
      this.logger.error('registry snapshot failed', { error: err as Error });
    }
  }
}

/** The UTC day of a time, `2026-12-03`. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
