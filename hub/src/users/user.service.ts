import { randomInt } from 'node:crypto';
import type { IdGenerator } from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import type { PasswordPolicy } from '../auth/password-policy.js';
import type { SessionRepository } from '../auth/session.repository.js';
import { ROLES, type Role, toUserView, type UserRepository, type UserView } from '../auth/user.repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { isUniqueViolation } from '../database/dialect.js';
import { ApiError } from '../http/http-errors.js';

/** Letters and digits (no `+`: the SSH gateway uses `user+device`), dot, dash, underscore. */
export const USERNAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,63}$/;
const OTP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A one-time password: 24 characters from an unambiguous alphabet, in groups of four (~118 bits). */
export function generateOneTimePassword(): string {
  const chars = Array.from({ length: 24 }, () => OTP_ALPHABET[randomInt(OTP_ALPHABET.length)]);
  return chars.join('').match(/.{4}/g)?.join('-') ?? chars.join('');
}

export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly audit: AuditRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async create(
    input: { username: string; role: Role; password: string; mustChangePassword?: boolean },
    actor: string,
  ): Promise<UserView> {
    if (!USERNAME_PATTERN.test(input.username)) {
      const reason = '2 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit';
      throw ApiError.badRequest(`invalid user name: ${reason}`, { username: reason }, { username: 'USERNAME_INVALID' });
    }
    if (!ROLES.includes(input.role)) {
      throw ApiError.badRequest(`role must be one of ${ROLES.join(', ')}`, { role: 'unknown role' });
    }
    const verdict = this.policy.check(input.password, { username: input.username });
    if (!verdict.ok)
      throw ApiError.badRequest(verdict.reason, { password: verdict.reason }, { password: verdict.code });
    if (await this.users.findByUsername(input.username)) {
      throw ApiError.conflict(`user ${input.username} already exists`, 'USERNAME_TAKEN', { username: 'already taken' });
    }
    const now = this.clock.now().toISOString();
    const row = {
      id: this.ids(),
      username: input.username,
      role: input.role,
      password_hash: await this.hasher.hash(input.password),
      must_change_password: input.mustChangePassword ? 1 : 0,
      created_at: now,
      password_changed_at: now,
      last_login_at: null,
      totp_secret: null,
      totp_pending_secret: null,
      totp_enabled_at: null,
      totp_last_step: null,
      departments: null,
      auth_source: 'local' as const,
    };
    await this.users.insert(row);
    await this.audit.record({
      ts: now,
      actor,
      action: 'user.created',
      target: row.username,
      detail: { role: row.role, before: null, after: { username: row.username, role: row.role } },
    });
    this.logger.info('user created', { username: row.username, role: row.role, actor });
    return toUserView(row);
  }

  /**
   * On a hub with no account, creates `admin` with a one-time password that must be changed at first
   * login. Returns the password (to print once), or null when accounts already exist.
   */
  async ensureInitialAdmin(): Promise<string | null> {
    if ((await this.users.count()) > 0) return null;
    const password = generateOneTimePassword();
    try {
      await this.create({ username: 'admin', role: 'admin', password, mustChangePassword: true }, 'system');
    } catch (err) {
      // Two hubs of a cluster started together on a fresh database: the other one created it (and printed its password).
      if (isUniqueViolation(err)) return null;
      throw err;
    }
    return password;
  }

  /** Gives an account a new one-time password (to change at next login) and ends its sessions. */
  async resetPassword(username: string, actor: string): Promise<string> {
    const user = await this.users.findByUsername(username);
    if (!user) throw ApiError.notFound(`no user ${username}`);
    const password = generateOneTimePassword();
    const now = this.clock.now().toISOString();
    await this.users.update(user.id, {
      password_hash: await this.hasher.hash(password),
      must_change_password: 1,
      password_changed_at: now,
    });
    await this.sessions.deleteForUser(user.id);
    await this.audit.record({ ts: now, actor, action: 'user.password_reset', target: username });
    return password;
  }

  async get(id: string): Promise<UserView> {
    const u = await this.users.findById(id);
    if (!u) throw ApiError.notFound(`no user ${id}`);
    return toUserView(u);
  }

  async list(opts: Parameters<UserRepository['list']>[0]) {
    const { rows, total } = await this.users.list(opts);
    return { rows: rows.map(toUserView), total };
  }

  async setRole(id: string, role: Role, actor: UserView): Promise<UserView> {
    if (!ROLES.includes(role))
      throw ApiError.badRequest(`role must be one of ${ROLES.join(', ')}`, { role: 'unknown role' });
    const user = await this.get(id);
    if (user.role === 'admin' && role !== 'admin' && (await this.users.countAdmins()) <= 1) {
      throw ApiError.conflict('the last administrator cannot lose the admin role', 'LAST_ADMIN');
    }
    await this.users.update(id, { role });
    await this.audit.record({
      ts: this.clock.now().toISOString(),
      actor: actor.username,
      action: 'user.role_changed',
      target: user.username,
      detail: { from: user.role, to: role },
    });
    return { ...user, role };
  }

  /** Limits an account to departments (their sub-departments included), or lifts the limit with null. */
  async setDepartments(id: string, departments: string[] | null, actor: UserView): Promise<UserView> {
    const user = await this.get(id);
    const clean = departments === null ? null : [...new Set(departments.map((d) => d.trim()).filter(Boolean))];
    if (JSON.stringify(clean) === JSON.stringify(user.departments)) return user;
    await this.users.update(id, { departments: clean === null ? null : JSON.stringify(clean) });
    await this.audit.record({
      ts: this.clock.now().toISOString(),
      actor: actor.username,
      action: 'user.departments_changed',
      target: user.username,
      detail: { before: user.departments, after: clean },
    });
    return { ...user, departments: clean };
  }

  async delete(id: string, actor: UserView): Promise<UserView> {
    const user = await this.get(id);
    if (user.id === actor.id) throw ApiError.conflict('you cannot delete your own account', 'SELF_DELETE');
    await this.sessions.deleteForUser(id);
    await this.users.delete(id);
    await this.audit.record({
      ts: this.clock.now().toISOString(),
      actor: actor.username,
      action: 'user.deleted',
      target: user.username,
      detail: { before: { username: user.username, role: user.role }, after: null },
    });
    return user;
  }
}
