import type { IdGenerator } from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { UserRepository, UserRow } from '../auth/user.repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { isUniqueViolation } from '../database/dialect.js';
import { ApiError } from '../http/http-errors.js';
import type { SshKeyOwner, SshKeyRepository, SshKeyRow } from './ssh-key.repository.js';
import { parseSshPublicKey, SshKeyError } from './ssh-public-key.js';

/** A registered key as the API and the CLI show it. */
export interface SshKeyView {
  id: string;
  userId: string;
  algorithm: string;
  fingerprint: string;
  comment: string;
  /** The authorized_keys line: `TYPE BASE64 [comment]`. */
  publicKey: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export function toSshKeyView(k: SshKeyRow): SshKeyView {
  return {
    id: k.id,
    userId: k.user_id,
    algorithm: k.algorithm,
    fingerprint: k.fingerprint,
    comment: k.comment,
    publicKey: [k.algorithm, k.public_key, k.comment].filter((p) => p !== '').join(' '),
    createdAt: k.created_at,
    lastUsedAt: k.last_used_at,
  };
}

const MAX_COMMENT = 200;

/**
 * SSH public keys of the accounts. Any role may register keys; the SSH gateway decides what a key
 * may open (helpdesk and admin only). Adding and removing are audited.
 */
export class SshKeyService {
  constructor(
    private readonly keys: SshKeyRepository,
    private readonly users: UserRepository,
    private readonly audit: AuditRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async list(userId: string): Promise<SshKeyView[]> {
    await this.user(userId);
    return (await this.keys.listForUser(userId)).map(toSshKeyView);
  }

  async listByUsername(username: string): Promise<SshKeyView[]> {
    return this.list((await this.userNamed(username)).id);
  }

  /** Registers one public key (an authorized_keys line) for the account. `comment` replaces the key's own. */
  async add(userId: string, input: { publicKey: string; comment?: string }, actor: string): Promise<SshKeyView> {
    const user = await this.user(userId);
    let parsed: ReturnType<typeof parseSshPublicKey>;
    try {
      parsed = parseSshPublicKey(input.publicKey);
    } catch (err) {
      if (err instanceof SshKeyError) {
        throw ApiError.badRequest(err.message, { publicKey: err.message }, { publicKey: err.code });
      }
      throw err;
    }
    const existing = await this.keys.findByPublicKey(parsed.publicKey);
    if (existing) throw duplicate(existing.user_id === user.id);
    const row: SshKeyRow = {
      id: this.ids(),
      user_id: user.id,
      algorithm: parsed.algorithm,
      public_key: parsed.publicKey,
      fingerprint: parsed.fingerprint,
      comment: (input.comment ?? parsed.comment).trim().slice(0, MAX_COMMENT),
      created_at: this.clock.now().toISOString(),
      last_used_at: null,
    };
    try {
      await this.keys.insert(row);
    } catch (err) {
      // Two registrations of the same key at once: the UNIQUE index keeps one.
      if (isUniqueViolation(err)) throw duplicate(false);
      throw err;
    }
    await this.audit.record({
      ts: row.created_at,
      actor,
      action: 'ssh_key.added',
      target: user.username,
      detail: { fingerprint: row.fingerprint, algorithm: row.algorithm, comment: row.comment },
    });
    this.logger.info('ssh key added', { username: user.username, fingerprint: row.fingerprint, actor });
    return toSshKeyView(row);
  }

  async addByUsername(username: string, publicKey: string, actor: string): Promise<SshKeyView> {
    return this.add((await this.userNamed(username)).id, { publicKey }, actor);
  }

  async remove(userId: string, keyId: string, actor: string): Promise<SshKeyView> {
    const user = await this.user(userId);
    const key = await this.keys.findById(keyId);
    if (!key || key.user_id !== user.id) throw ApiError.notFound(`no SSH key ${keyId} for ${user.username}`);
    await this.keys.delete(key.id);
    await this.audit.record({
      ts: this.clock.now().toISOString(),
      actor,
      action: 'ssh_key.removed',
      target: user.username,
      detail: { fingerprint: key.fingerprint, algorithm: key.algorithm, comment: key.comment },
    });
    this.logger.info('ssh key removed', { username: user.username, fingerprint: key.fingerprint, actor });
    return toSshKeyView(key);
  }

  /** Removes a key named by its fingerprint (`SHA256:…`, the prefix may be omitted). */
  async removeByFingerprint(username: string, fingerprint: string, actor: string): Promise<SshKeyView> {
    const user = await this.userNamed(username);
    const wanted = fingerprint.startsWith('SHA256:') ? fingerprint : `SHA256:${fingerprint}`;
    const key = (await this.keys.listForUser(user.id)).find((k) => k.fingerprint === wanted);
    if (!key) throw ApiError.notFound(`${username} has no SSH key ${wanted}`);
    return this.remove(user.id, key.id, actor);
  }

  /** The key (blob, base64) and its account, for the SSH gateway; undefined when nobody registered it. */
  findOwner(publicKey: string): Promise<SshKeyOwner | undefined> {
    return this.keys.findOwner(publicKey);
  }

  async markUsed(keyId: string): Promise<void> {
    await this.keys.touch(keyId, this.clock.now().toISOString());
  }

  private async user(id: string): Promise<UserRow> {
    const user = await this.users.findById(id);
    if (!user) throw ApiError.notFound(`no user ${id}`);
    return user;
  }

  private async userNamed(username: string): Promise<UserRow> {
    const user = await this.users.findByUsername(username);
    if (!user) throw ApiError.notFound(`no user ${username}`);
    return user;
  }
}

function duplicate(sameAccount: boolean): ApiError {
  const message = sameAccount
    ? 'this key is already registered for this account'
    : 'this key is already registered for another account: each person needs a key of their own';
  return ApiError.conflict(message, 'SSH_KEY_DUPLICATE', { publicKey: message });
}
