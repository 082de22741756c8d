import type { Selectable } from 'kysely';
import type { Db } from '../database/database.js';
import { setsNothing } from '../database/patch.js';
import type { RolloutsTable } from '../database/schema.js';

export type RolloutRow = Selectable<RolloutsTable>;
export type RolloutState = RolloutRow['state'];

/** States in which devices of the reached rings hold the new revision. */
export const ACTIVE_STATES: readonly RolloutState[] = ['running', 'paused', 'halted'];

export class RolloutRepository {
  constructor(private readonly db: Db) {}

  async insert(row: RolloutRow): Promise<void> {
    await this.db.insertInto('rollouts').values(row).execute();
  }

  findById(id: string): Promise<RolloutRow | undefined> {
    return this.db.selectFrom('rollouts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  list(filter: { policyId?: string; state?: string }): Promise<RolloutRow[]> {
    let q = this.db.selectFrom('rollouts').selectAll();
    if (filter.policyId) q = q.where('policy_id', '=', filter.policyId);
    if (filter.state) q = q.where('state', '=', filter.state as RolloutState);
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  }

  active(): Promise<RolloutRow[]> {
    return this.db.selectFrom('rollouts').selectAll().where('state', 'in', ACTIVE_STATES).execute();
  }

  activeForPolicy(policyId: string): Promise<RolloutRow | undefined> {
    return this.db
      .selectFrom('rollouts')
      .selectAll()
      .where('policy_id', '=', policyId)
      .where('state', 'in', ACTIVE_STATES)
      .executeTakeFirst();
  }

  /** The last rollout of the policy that completed (the one a completed rollback undoes). */
  lastCompleted(policyId: string): Promise<RolloutRow | undefined> {
    return this.db
      .selectFrom('rollouts')
      .selectAll()
      .where('policy_id', '=', policyId)
      .where('state', '=', 'completed')
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
  }

  async update(id: string, patch: Partial<Omit<RolloutRow, 'id'>>): Promise<void> {
    if (setsNothing(patch)) return;
    await this.db.updateTable('rollouts').set(patch).where('id', '=', id).execute();
  }
}
