import type { Kysely } from 'kysely';

/**
 * Desired-state configuration: policies and their revisions, assignments, device groups, each
 * device's effective config (its revision survives restarts), per-module reports, rollouts, and the
 * one-time passwords of pre-created AD computer accounts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('module', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    /** Breaks ties between policies of the same module at the same precedence level: higher wins. */
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('latest_revision', 'integer', (c) => c.notNull())
    /** The revision every targeted device gets outside a rollout; null until one is deployed. */
    .addColumn('deployed_revision', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('policy_revisions')
    .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('policy_revisions_pk', ['policy_id', 'revision'])
    .execute();

  await db.schema
    .createTable('policy_assignments')
    .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id').onDelete('cascade'))
    /** everyone, department, group or device. */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** Department name, group id or device id; '' for everyone. */
    .addColumn('target', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('policy_assignments_pk', ['policy_id', 'kind', 'target'])
    .execute();

  await db.schema
    .createTable('device_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('device_group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('device_groups.id').onDelete('cascade'))
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('device_group_members_pk', ['group_id', 'device_id'])
    .execute();
  await db.schema.createIndex('device_group_members_device').on('device_group_members').column('device_id').execute();

  await db.schema
    .createTable('device_configs')
    .addColumn('device_id', 'text', (c) => c.primaryKey().references('devices.id').onDelete('cascade'))
    /** Grows by one on every change of the content; never goes back. */
    .addColumn('revision', 'integer', (c) => c.notNull())
    /** sha256 of the content, to tell a change from a recomputation that gives the same result. */
    .addColumn('hash', 'text', (c) => c.notNull())
    /** `{modules, agent}` as published. */
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    /** The agent refused this whole config revision (bad JSON or schema): why. */
    .addColumn('refused_revision', 'integer')
    .addColumn('refused_error', 'text')
    .execute();

  await db.schema
    .createTable('device_module_states')
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('module', 'text', (c) => c.notNull())
    .addColumn('policy_id', 'text', (c) => c.notNull())
    .addColumn('policy_revision', 'integer', (c) => c.notNull())
    .addColumn('config_revision', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('observed', 'text')
    /** When the agent applied it (its clock) and when the hub received it. */
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('device_module_states_pk', ['device_id', 'module'])
    .execute();
  await db.schema.createIndex('device_module_states_policy').on('device_module_states').column('policy_id').execute();

  await db.schema
    .createTable('rollouts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id').onDelete('cascade'))
    .addColumn('from_revision', 'integer')
    .addColumn('to_revision', 'integer', (c) => c.notNull())
    /** running, paused, halted, completed, rolled-back. */
    .addColumn('state', 'text', (c) => c.notNull())
    /** The ring plan and its gate (JSON, see rollouts/ring-plan.ts). */
    .addColumn('plan', 'text', (c) => c.notNull())
    /** Index of the last ring reached; every ring up to it has the new revision. */
    .addColumn('current_ring', 'integer', (c) => c.notNull())
    .addColumn('ring_started_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rollouts_policy').on('rollouts').column('policy_id').execute();

  await db.schema
    .createTable('ad_join_accounts')
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('computer_name', 'text', (c) => c.notNull())
    /** Null until `adcli preset-computer` succeeded, and again once the device reported it joined. */
    .addColumn('one_time_password', 'text')
    .addColumn('preset_at', 'text')
    .addColumn('joined_at', 'text')
    .addColumn('error', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ad_join_accounts_pk', ['device_id', 'domain'])
    .execute();
}
