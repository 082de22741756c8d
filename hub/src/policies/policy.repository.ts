import type { Selectable } from 'kysely';
import type { Db } from '../database/database.js';
import { nullsAsSmallest } from '../database/dialect.js';
import { setsNothing } from '../database/patch.js';
import type { PoliciesTable, PolicyAssignmentsTable, PolicyRevisionsTable } from '../database/schema.js';

export type PolicyRow = Selectable<PoliciesTable>;
export type PolicyRevisionRow = Selectable<PolicyRevisionsTable>;
export type AssignmentRow = Selectable<PolicyAssignmentsTable>;

export const POLICY_SORT_FIELDS = {
  name: 'name',
  module: 'module',
  priority: 'priority',
  updatedAt: 'updated_at',
  createdAt: 'created_at',
} as const satisfies Record<string, keyof PolicyRow>;
export type PolicySortField = keyof typeof POLICY_SORT_FIELDS;

/** Policies, their revisions (append-only) and their assignments. */
export class PolicyRepository {
  constructor(private readonly db: Db) {}

  transaction<T>(fn: (repo: PolicyRepository) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((tx) => fn(new PolicyRepository(tx)));
  }

  async list(q: {
    module?: string;
    sort: PolicySortField;
    order: 'asc' | 'desc';
    offset: number;
    limit: number;
  }): Promise<{ rows: PolicyRow[]; total: number }> {
    let base = this.db.selectFrom('policies');
    if (q.module) base = base.where('module', '=', q.module);
    const rows = await base
      .selectAll()
      .orderBy(POLICY_SORT_FIELDS[q.sort], nullsAsSmallest(q.order))
      .orderBy('id', 'asc')
      .limit(q.limit)
      .offset(q.offset)
      .execute();
    const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { rows, total: Number(n) };
  }

  all(): Promise<PolicyRow[]> {
    return this.db.selectFrom('policies').selectAll().execute();
  }

  findById(id: string): Promise<PolicyRow | undefined> {
    return this.db.selectFrom('policies').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByName(name: string): Promise<PolicyRow | undefined> {
    return this.db.selectFrom('policies').selectAll().where('name', '=', name).executeTakeFirst();
  }

  async insert(row: PolicyRow): Promise<void> {
    await this.db.insertInto('policies').values(row).execute();
  }

  async update(id: string, patch: Partial<Omit<PolicyRow, 'id' | 'module'>>): Promise<void> {
    if (setsNothing(patch)) return;
    await this.db.updateTable('policies').set(patch).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('policies').where('id', '=', id).execute();
  }

  async insertRevision(row: PolicyRevisionRow): Promise<void> {
    await this.db.insertInto('policy_revisions').values(row).execute();
  }

  revisions(policyId: string): Promise<PolicyRevisionRow[]> {
    return this.db
      .selectFrom('policy_revisions')
      .selectAll()
      .where('policy_id', '=', policyId)
      .orderBy('revision', 'desc')
      .execute();
  }

  revision(policyId: string, revision: number): Promise<PolicyRevisionRow | undefined> {
    return this.db
      .selectFrom('policy_revisions')
      .selectAll()
      .where('policy_id', '=', policyId)
      .where('revision', '=', revision)
      .executeTakeFirst();
  }

  /** Documents of the given `(policy, revision)` pairs, keyed `policyId:revision`. */
  async documents(pairs: { policyId: string; revision: number }[]): Promise<Map<string, unknown>> {
    const out = new Map<string, unknown>();
    if (pairs.length === 0) return out;
    const rows = await this.db
      .selectFrom('policy_revisions')
      .select(['policy_id', 'revision', 'document'])
      .where((eb) =>
        eb.or(pairs.map((p) => eb.and([eb('policy_id', '=', p.policyId), eb('revision', '=', p.revision)]))),
      )
      .execute();
    for (const r of rows) out.set(`${r.policy_id}:${r.revision}`, JSON.parse(r.document));
    return out;
  }

  assignments(policyId: string): Promise<AssignmentRow[]> {
    return this.db
      .selectFrom('policy_assignments')
      .selectAll()
      .where('policy_id', '=', policyId)
      .orderBy('kind')
      .orderBy('target')
      .execute();
  }

  allAssignments(): Promise<AssignmentRow[]> {
    return this.db.selectFrom('policy_assignments').selectAll().execute();
  }

  async replaceAssignments(policyId: string, rows: Omit<AssignmentRow, 'policy_id'>[]): Promise<void> {
    await this.db.deleteFrom('policy_assignments').where('policy_id', '=', policyId).execute();
    if (rows.length === 0) return;
    await this.db
      .insertInto('policy_assignments')
      .values(rows.map((r) => ({ policy_id: policyId, ...r })))
      .execute();
  }
}
