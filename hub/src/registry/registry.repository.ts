import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Db } from '../database/database.js';
import { nullsAsSmallest } from '../database/dialect.js';
import { setsNothing } from '../database/patch.js';
import type {
  RegistryDepartmentsTable,
  RegistryMachinesTable,
  RegistryPhase,
  RegistryStatus,
} from '../database/schema.js';

export type DepartmentRow = Selectable<RegistryDepartmentsTable>;
export type MachineRow = Selectable<RegistryMachinesTable>;
export type MachineListRow = MachineRow & {
  department_name: string | null;
  phase: RegistryPhase | null;
  macs: string | null;
  device_hostname: string | null;
};

export const MACHINE_SORT_FIELDS = {
  id: 'registry_machines.id',
  hostname: 'registry_machines.hostname_key',
  serial: 'registry_machines.serial_key',
  status: 'registry_machines.status',
  department: 'registry_departments.name_key',
  mainUser: 'registry_machines.main_user',
  os: 'registry_machines.os',
  updatedAt: 'registry_machines.updated_at',
  statusChangedAt: 'registry_machines.status_changed_at',
} as const;
export type MachineSortField = keyof typeof MACHINE_SORT_FIELDS;

export interface MachineFilter {
  statuses?: RegistryStatus[];
  /** This department and its sub-departments. */
  departmentId?: string;
  /** Machines without a department. */
  noDepartment?: boolean;
  exceptionReasons?: string[];
  phases?: RegistryPhase[];
  /** Linked to an enrolled device, or not. */
  matched?: boolean;
  deviceId?: string;
  /** Part of the hostname, serial, main user or a MAC. */
  q?: string;
  ids?: string[];
}

export interface MachineListQuery {
  filter: MachineFilter;
  sort: MachineSortField;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The department and its descendants, as a recursive CTE usable in `in (...)`. */
export function subtreeIds(rootId: string) {
  return sql<string>`(with recursive sub(id) as (
      select ${rootId}
      union all
      select d.id from registry_departments d join sub on d.parent_id = sub.id
    ) select id from sub)`;
}

/** Registry machines, their MACs and the department tree. */
export class RegistryRepository {
  constructor(readonly db: Db) {}

  transaction<T>(fn: (repo: RegistryRepository) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((tx) => fn(new RegistryRepository(tx)));
  }

  // ---- departments

  departments(): Promise<DepartmentRow[]> {
    return this.db.selectFrom('registry_departments').selectAll().orderBy('name_key').execute();
  }

  department(id: string): Promise<DepartmentRow | undefined> {
    return this.db.selectFrom('registry_departments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  departmentByKey(nameKey: string): Promise<DepartmentRow | undefined> {
    return this.db.selectFrom('registry_departments').selectAll().where('name_key', '=', nameKey).executeTakeFirst();
  }

  async insertDepartment(row: Insertable<RegistryDepartmentsTable>): Promise<void> {
    await this.db.insertInto('registry_departments').values(row).execute();
  }

  async updateDepartment(id: string, patch: Updateable<RegistryDepartmentsTable>): Promise<void> {
    if (setsNothing(patch)) return;
    await this.db.updateTable('registry_departments').set(patch).where('id', '=', id).execute();
  }

  /** True when `candidate` is `id` itself or one of its descendants (a move there would make a cycle). */
  async inSubtree(id: string, candidate: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('registry_departments')
      .select('id')
      .where('id', '=', candidate)
      .where('id', 'in', subtreeIds(id))
      .executeTakeFirst();
    return r !== undefined;
  }

  async deleteDepartment(id: string): Promise<void> {
    await this.db.deleteFrom('registry_departments').where('id', '=', id).execute();
  }

  async departmentUse(id: string): Promise<{ children: number; machines: number }> {
    const children = await this.db
      .selectFrom('registry_departments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('parent_id', '=', id)
      .executeTakeFirst();
    const machines = await this.db
      .selectFrom('registry_machines')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('department_id', '=', id)
      .executeTakeFirst();
    return { children: Number(children?.n ?? 0), machines: Number(machines?.n ?? 0) };
  }

  // ---- machines

  /** Every serial key and MAC of the registry, for the import's duplicate checks. */
  async identities(): Promise<{ serials: Set<string>; macs: Set<string> }> {
    const serials = await this.db
      .selectFrom('registry_machines')
      .select('serial_key')
      .where('serial_key', 'is not', null)
      .execute();
    const macs = await this.db.selectFrom('registry_machine_macs').select('mac').execute();
    return {
      serials: new Set(serials.map((r) => r.serial_key as string)),
      macs: new Set(macs.map((r) => r.mac)),
    };
  }

  machine(id: string): Promise<MachineListRow | undefined> {
    return this.listBase().where('registry_machines.id', '=', id).executeTakeFirst();
  }

  machineByDevice(deviceId: string): Promise<MachineRow | undefined> {
    return this.db.selectFrom('registry_machines').selectAll().where('device_id', '=', deviceId).executeTakeFirst();
  }

  async updateMachine(id: string, patch: Updateable<RegistryMachinesTable>): Promise<void> {
    if (setsNothing(patch)) return;
    await this.db.updateTable('registry_machines').set(patch).where('id', '=', id).execute();
  }

  /** Machines with this serial key (the key is unique: one at most, returned as a list like the others). */
  bySerial(key: string): Promise<MachineRow[]> {
    return this.db.selectFrom('registry_machines').selectAll().where('serial_key', '=', key).limit(10).execute();
  }

  /** Machines holding one of these MACs. */
  byMacs(macs: readonly string[]): Promise<MachineRow[]> {
    if (macs.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('registry_machines')
      .selectAll()
      .where('id', 'in', (eb) => eb.selectFrom('registry_machine_macs').select('machine_id').where('mac', 'in', macs))
      .limit(10)
      .execute();
  }

  byHostname(key: string): Promise<MachineRow[]> {
    return this.db.selectFrom('registry_machines').selectAll().where('hostname_key', '=', key).limit(10).execute();
  }

  private listBase() {
    return this.db
      .selectFrom('registry_machines')
      .leftJoin('registry_departments', 'registry_departments.id', 'registry_machines.department_id')
      .leftJoin('devices', 'devices.id', 'registry_machines.device_id')
      .selectAll('registry_machines')
      .select([
        'registry_departments.name as department_name',
        'registry_departments.phase as phase',
        'devices.hostname as device_hostname',
        sql<
          string | null
        >`(select string_agg(mac, ' ') from registry_machine_macs m where m.machine_id = registry_machines.id)`.as(
          'macs',
        ),
      ]);
  }

  async list(q: MachineListQuery): Promise<{ rows: MachineListRow[]; total: number }> {
    const f = q.filter;
    let base = this.db
      .selectFrom('registry_machines')
      .leftJoin('registry_departments', 'registry_departments.id', 'registry_machines.department_id');
    if (f.statuses)
      base = f.statuses.length
        ? base.where('registry_machines.status', 'in', f.statuses)
        : base.where(sql<boolean>`false`);
    if (f.departmentId !== undefined)
      base = base.where('registry_machines.department_id', 'in', subtreeIds(f.departmentId));
    if (f.noDepartment) base = base.where('registry_machines.department_id', 'is', null);
    if (f.exceptionReasons) {
      base = f.exceptionReasons.length
        ? base.where('registry_machines.exception_reason', 'in', f.exceptionReasons as never[])
        : base.where(sql<boolean>`false`);
    }
    if (f.phases)
      base = f.phases.length
        ? base.where('registry_departments.phase', 'in', f.phases)
        : base.where(sql<boolean>`false`);
    if (f.matched !== undefined) {
      base = base.where('registry_machines.device_id', f.matched ? 'is not' : 'is', null);
    }
    if (f.deviceId !== undefined) base = base.where('registry_machines.device_id', '=', f.deviceId);
    if (f.q) {
      const like = `%${escapeLike(f.q.toLowerCase())}%`;
      const mac = f.q.trim().toLowerCase();
      base = base.where((eb) =>
        eb.or([
          eb(sql`registry_machines.hostname_key`, 'like', sql`${like} escape '\\'`),
          eb(sql`lower(registry_machines.serial)`, 'like', sql`${like} escape '\\'`),
          eb(sql`lower(registry_machines.main_user)`, 'like', sql`${like} escape '\\'`),
          eb(
            'registry_machines.id',
            'in',
            eb.selectFrom('registry_machine_macs').select('machine_id').where('mac', '=', mac),
          ),
        ]),
      );
    }
    if (f.ids) base = f.ids.length ? base.where('registry_machines.id', 'in', f.ids) : base.where(sql<boolean>`false`);
    const page = await base
      .select('registry_machines.id')
      .orderBy(MACHINE_SORT_FIELDS[q.sort], nullsAsSmallest(q.order))
      .orderBy('registry_machines.id', 'asc')
      .offset(q.offset)
      .limit(q.limit)
      .execute();
    const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    const ids = page.map((r) => r.id);
    const rows = ids.length ? await this.listBase().where('registry_machines.id', 'in', ids).execute() : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return { rows: ids.map((id) => byId.get(id) as MachineListRow), total: Number(count?.n ?? 0) };
  }
}
