import { sql } from 'kysely';
import type { Db } from '../database/database.js';
import { nullsAsSmallest, serializeTransactions } from '../database/dialect.js';
import type { RegistryPhase, RegistryStatus } from '../database/schema.js';
import { subtreeIds } from './registry.repository.js';

/** Counts of machines by status (every status present, 0 when none). */
export type StatusCounts = Record<RegistryStatus, number>;

export interface DepartmentFigures {
  id: string;
  name: string;
  parentId: string | null;
  phase: RegistryPhase;
  /** Machines of the department and all its sub-departments. */
  total: number;
  counts: StatusCounts;
}

export interface PhaseFigures {
  phase: RegistryPhase;
  departments: number;
  /** Machines whose own department is in this phase. */
  machines: number;
  migrated: number;
}

export interface TrendPoint {
  day: string;
  counts: StatusCounts;
}

/** The snapshot rows of the whole organisation (department rows are summed only for a subtree). */
export const ORGANISATION = '*';

export const STATUSES: readonly RegistryStatus[] = [
  'windows',
  'candidate',
  'scheduled',
  'migrated',
  'exception',
  'rolled-back',
];
export const PHASES: readonly RegistryPhase[] = ['beta', 'volunteers', 'new-machine', 'linux-by-default'];

export function emptyCounts(): StatusCounts {
  return { windows: 0, candidate: 0, scheduled: 0, migrated: 0, exception: 0, 'rolled-back': 0 };
}

/** One `sum(case ...)` column per status, named by the status. */
const statusSums = (column: string) =>
  STATUSES.map((s) => `sum(case when ${column} = '${s}' then n else 0 end) as "${s}"`).join(', ');

function countsOf(r: Record<string, unknown>): StatusCounts {
  const c = emptyCounts();
  for (const s of STATUSES) c[s] = Number(r[s] ?? 0);
  return c;
}

/**
 * The migration dashboard, aggregated by the database: machines are grouped by (department,
 * status) once, then summed up the department tree through a recursive closure (each department
 * with its descendants), so the cost follows the number of departments, not of machines.
 */
export class RegistryDashboardRepository {
  constructor(private readonly db: Db) {}

  async byDepartment(): Promise<DepartmentFigures[]> {
    const r = await sql<Record<string, unknown>>`
      with recursive closure(ancestor, descendant) as (
        select id, id from registry_departments
        union all
        select c.ancestor, d.id from closure c join registry_departments d on d.parent_id = c.descendant
      ),
      own as (
        select department_id, status, count(*) as n from registry_machines
        where department_id is not null group by department_id, status
      )
      select d.id, d.name, d.parent_id, d.phase, ${sql.raw(statusSums('own.status'))}
      from registry_departments d
      join closure c on c.ancestor = d.id
      left join own on own.department_id = c.descendant
      group by d.id
      order by d.name_key`.execute(this.db);
    return r.rows.map((row) => {
      const counts = countsOf(row);
      return {
        id: String(row.id),
        name: String(row.name),
        parentId: (row.parent_id as string | null) ?? null,
        phase: row.phase as RegistryPhase,
        total: Object.values(counts).reduce((a, b) => a + b, 0),
        counts,
      };
    });
  }

  /** The whole organisation (or one department's subtree), machines without a department included. */
  async counts(departmentId?: string): Promise<StatusCounts> {
    let q = this.db.selectFrom('registry_machines').select(['status', (eb) => eb.fn.countAll<number>().as('n')]);
    if (departmentId !== undefined) q = q.where('department_id', 'in', subtreeIds(departmentId));
    const rows = await q.groupBy('status').execute();
    const c = emptyCounts();
    for (const r of rows) c[r.status] = Number(r.n);
    return c;
  }

  async unassigned(): Promise<number> {
    const r = await this.db
      .selectFrom('registry_machines')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('department_id', 'is', null)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async byPhase(): Promise<PhaseFigures[]> {
    const r = await sql<{ phase: RegistryPhase; departments: number; machines: number; migrated: number }>`
      select d.phase as phase, count(distinct d.id) as departments,
        coalesce(sum(m.n), 0) as machines, coalesce(sum(m.migrated), 0) as migrated
      from registry_departments d
      left join (
        select department_id, count(*) as n, sum(case when status = 'migrated' then 1 else 0 end) as migrated
        from registry_machines where department_id is not null group by department_id
      ) m on m.department_id = d.id
      group by d.phase`.execute(this.db);
    const byPhase = new Map(r.rows.map((row) => [row.phase, row]));
    return PHASES.map((phase) => {
      const row = byPhase.get(phase);
      return {
        phase,
        departments: Number(row?.departments ?? 0),
        machines: Number(row?.machines ?? 0),
        migrated: Number(row?.migrated ?? 0),
      };
    });
  }

  async exceptionsByReason(): Promise<{ reason: string; count: number; withWorkaround: number }[]> {
    const rows = await this.db
      .selectFrom('registry_machines')
      .select([
        'exception_reason',
        (eb) => eb.fn.countAll<number>().as('n'),
        sql<number>`sum(case when coalesce(exception_workaround, '') <> '' then 1 else 0 end)`.as('w'),
      ])
      .where('status', '=', 'exception')
      .groupBy('exception_reason')
      .orderBy('n', 'desc')
      .orderBy('exception_reason', nullsAsSmallest('asc'))
      .execute();
    return rows.map((r) => ({
      reason: r.exception_reason ?? 'unknown',
      count: Number(r.n),
      withWorkaround: Number(r.w),
    }));
  }

  /** Daily points between two days (inclusive), for the organisation or one department's subtree. */
  async trend(from: string, to: string, departmentId?: string): Promise<TrendPoint[]> {
    let q = this.db
      .selectFrom('registry_snapshots')
      .select(['day', 'status', (eb) => eb.fn.sum<number>('count').as('n')])
      .where('day', '>=', from)
      .where('day', '<=', to);
    q =
      departmentId === undefined
        ? q.where('department_id', '=', ORGANISATION)
        : q.where('department_id', 'in', subtreeIds(departmentId));
    const rows = await q.groupBy(['day', 'status']).orderBy('day').execute();
    const days = new Map<string, StatusCounts>();
    for (const r of rows) {
      const c = days.get(r.day) ?? emptyCounts();
      c[r.status] = Number(r.n);
      days.set(r.day, c);
    }
    return [...days].map(([day, counts]) => ({ day, counts }));
  }

  async hasSnapshot(day: string): Promise<boolean> {
    const r = await this.db.selectFrom('registry_snapshots').select('day').where('day', '=', day).executeTakeFirst();
    return r !== undefined;
  }

  /** Replaces the day's snapshot with the counts of now, in one statement per step of a transaction. */
  async snapshot(day: string): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      // Two hubs (start, timer) or a timer and a request may take the same day at once: one after the other.
      await serializeTransactions(tx, 'registry_snapshots');
      await tx.deleteFrom('registry_snapshots').where('day', '=', day).execute();
      const r = await sql`
        insert into registry_snapshots (day, department_id, status, count)
        select cast(${day} as text), coalesce(department_id, ''), status, count(*) from registry_machines
        group by coalesce(department_id, ''), status`.execute(tx);
      await sql`
        insert into registry_snapshots (day, department_id, status, count)
        select cast(${day} as text), cast(${ORGANISATION} as text), status, count(*) from registry_machines
        group by status`.execute(tx);
      return Number(r.numAffectedRows ?? 0);
    });
  }
}
