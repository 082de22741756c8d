import type { Kysely } from 'kysely';

/** Remote shell: the helpdesk's SSH public keys and the audit trail of terminal sessions. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ssh_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('algorithm', 'text', (c) => c.notNull())
    /** The key blob (SSH wire format), base64, as in an authorized_keys line. */
    .addColumn('public_key', 'text', (c) => c.notNull().unique())
    /** `SHA256:…` as `ssh-keygen -l` prints it. */
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .execute();
  await db.schema.createIndex('ssh_keys_user').on('ssh_keys').column('user_id').execute();

  await db.schema
    .createTable('terminal_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('run_as', 'text', (c) => c.notNull())
    .addColumn('command', 'text')
    .addColumn('client_address', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('bytes_in', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bytes_out', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('exit_code', 'integer')
    .addColumn('exit_signal', 'text')
    .addColumn('end_reason', 'text')
    .addColumn('end_message', 'text')
    /** File name of the asciicast recording in the recordings directory; null once retention removed it. */
    .addColumn('recording', 'text')
    .execute();
  for (const col of ['started_at', 'device_id', 'user_id']) {
    await db.schema.createIndex(`terminal_sessions_${col}`).on('terminal_sessions').column(col).execute();
  }
}
