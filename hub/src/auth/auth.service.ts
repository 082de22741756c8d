import { createHash, randomBytes } from 'node:crypto';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { ApiError } from '../http/http-errors.js';
import type { AccountSettingsRepository } from './account-settings.repository.js';
import type { LdapAccounts } from './ldap-accounts.js';
import type { LoginChallenges } from './login-challenges.js';
import type { LoginLimiter } from './login-limiter.js';
import type { PasswordHasher } from './password-hasher.js';
import type { PasswordPolicy } from './password-policy.js';
import type { SessionRepository } from './session.repository.js';
import type { TotpService } from './totp.service.js';
import { TOTP_ROLES, toUserView, type UserRepository, type UserRow, type UserView } from './user.repository.js';

/** A session lasts at most 12 hours and ends after 2 hours without a request. */
export const SESSION_MAX_MS = 12 * 3600_000;
export const SESSION_IDLE_MS = 2 * 3600_000;
const TOUCH_EVERY_MS = 60_000;

export const hashSessionId = (value: string) => createHash('sha256').update(value).digest('hex');

export interface SignedIn {
  user: UserView;
  sessionIdHash: string;
}

/** What the password step answers: signed in, or a TOTP code is needed next. */
export type LoginOutcome =
  | { kind: 'signed-in'; user: UserView; cookie: string }
  | { kind: 'totp-required'; challenge: string };

export class AuthService {
  /** A hash to verify against when the user does not exist, so timing does not reveal accounts. */
  private dummyHash?: Promise<string>;

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly limiter: LoginLimiter,
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly totp: TotpService,
    private readonly challenges: LoginChallenges,
    private readonly accountSettings: AccountSettingsRepository,
    /** Sign-in with Active Directory credentials, when `serve --ldap-url` is given. */
    private readonly ldap?: Pick<LdapAccounts, 'signIn'>,
  ) {}

  private async directorySignIn(username: string, password: string): Promise<UserRow | null> {
    try {
      return await (this.ldap as Pick<LdapAccounts, 'signIn'>).signIn(username, password);
    } catch (err) {
      this.logger.error('the directory could not be asked', { username, error: err as Error });
      throw new ApiError(503, 'the directory (Active Directory) cannot be reached: try again later');
    }
  }

  /**
   * Signs in an account without a second factor (what the specs use); an account with TOTP goes
   * through `passwordStep` then `loginTotp`.
   */
  async login(username: string, password: string, ip: string): Promise<{ user: UserView; cookie: string }> {
    const outcome = await this.passwordStep(username, password, ip);
    if (outcome.kind === 'totp-required') throw ApiError.unauthorized('this account needs its TOTP code');
    return outcome;
  }

  /** The first step of a sign-in: the password, then either a session or a TOTP challenge. */
  async passwordStep(username: string, password: string, ip: string): Promise<LoginOutcome> {
    const accountKey = `user:${username.toLowerCase()}`;
    const keys = [accountKey, `ip:${ip}`];
    const wait = this.limiter.begin(keys);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw ApiError.tooManyRequests(`too many failed attempts: try again in ${seconds} s`, seconds);
    }
    let user: Awaited<ReturnType<UserRepository['findByUsername']>>;
    let ok: boolean;
    try {
      user = await this.users.findByUsername(username);
      if (this.ldap && (!user || user.auth_source === 'ldap')) {
        // A local account of that name wins over the directory: AD cannot take over `admin`.
        user = (await this.directorySignIn(username, password)) ?? undefined;
        ok = user !== undefined;
      } else {
        this.dummyHash ??= this.hasher.hash(randomBytes(16).toString('hex'));
        ok = await this.hasher.verify(password, user?.password_hash ?? (await this.dummyHash));
      }
      if (!user || !ok) this.limiter.recordFailure(keys);
    } finally {
      this.limiter.end(keys);
    }
    const now = this.clock.now();
    if (!user || !ok) {
      this.logger.warn('login failed', { username, ip });
      await this.audit.record({ ts: now.toISOString(), actor: username, action: 'auth.login_failed', detail: { ip } });
      throw ApiError.unauthorized('wrong user name or password');
    }
    this.limiter.recordSuccess([accountKey]);
    if (user.totp_enabled_at) {
      await this.audit.record({
        ts: now.toISOString(),
        actor: user.username,
        action: 'auth.password_ok',
        detail: { ip },
      });
      return { kind: 'totp-required', challenge: this.challenges.create(user.id, ip) };
    }
    return { kind: 'signed-in', ...(await this.openSession(user, ip, 'auth.login')) };
  }

  /**
   * The second step: a TOTP code or a recovery code for the challenge the password step gave. Wrong
   * codes are throttled like passwords, per account and per address, and end the challenge after 5.
   */
  async loginTotp(challenge: string, code: string, ip: string): Promise<{ user: UserView; cookie: string }> {
    const pending = this.challenges.attempt(challenge);
    if (!pending) throw ApiError.unauthorized('this sign-in has expired: give your password again');
    const user = await this.users.findById(pending.userId);
    if (!user) throw ApiError.unauthorized('this sign-in has expired: give your password again');
    const accountKey = `totp:${user.username.toLowerCase()}`;
    const keys = [accountKey, `ip:${ip}`];
    const wait = this.limiter.begin(keys);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw ApiError.tooManyRequests(`too many failed attempts: try again in ${seconds} s`, seconds);
    }
    let verdict: Awaited<ReturnType<TotpService['verify']>>;
    try {
      verdict = await this.totp.verify(user, code);
      if (!verdict.ok) this.limiter.recordFailure(keys);
    } finally {
      this.limiter.end(keys);
    }
    if (!verdict.ok) {
      this.logger.warn('second factor refused', { username: user.username, ip });
      await this.audit.record({
        ts: this.clock.now().toISOString(),
        actor: user.username,
        action: 'auth.totp_failed',
        detail: { ip },
      });
      throw ApiError.unauthorized('wrong or already used code');
    }
    this.challenges.consume(challenge);
    this.limiter.recordSuccess([accountKey]);
    return this.openSession(user, ip, verdict.recoveryCode ? 'auth.login_recovery_code' : 'auth.login');
  }

  private async openSession(user: UserRow, ip: string, action: string): Promise<{ user: UserView; cookie: string }> {
    const now = this.clock.now();
    const cookie = randomBytes(32).toString('base64url');
    await this.sessions.insert({
      id_hash: hashSessionId(cookie),
      user_id: user.id,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_MAX_MS).toISOString(),
      last_seen_at: now.toISOString(),
    });
    await this.users.update(user.id, { last_login_at: now.toISOString() });
    await this.audit.record({ ts: now.toISOString(), actor: user.username, action, detail: { ip } });
    this.logger.info('login', { username: user.username, ip });
    return { user: await this.view({ ...user, last_login_at: now.toISOString() }), cookie };
  }

  /** The account as the API shows it, with whether the hub's settings make it enrol TOTP first. */
  private async view(user: UserRow): Promise<UserView> {
    const view = toUserView(user);
    if (!view.totpEnabled && TOTP_ROLES.includes(view.role) && (await this.accountSettings.get()).requireTotp) {
      view.totpEnrolmentRequired = true;
    }
    return view;
  }

  /** The signed-in user for a session cookie, or null when it is unknown, expired or idle too long. */
  async authenticate(cookie: string | undefined): Promise<SignedIn | null> {
    if (!cookie) return null;
    const idHash = hashSessionId(cookie);
    const session = await this.sessions.find(idHash);
    if (!session) return null;
    const now = this.clock.now().getTime();
    if (Date.parse(session.expires_at) <= now || Date.parse(session.last_seen_at) + SESSION_IDLE_MS <= now) {
      await this.sessions.delete(idHash);
      return null;
    }
    const user = await this.users.findById(session.user_id);
    if (!user) return null;
    if (now - Date.parse(session.last_seen_at) > TOUCH_EVERY_MS) {
      await this.sessions.touch(idHash, new Date(now).toISOString());
    }
    return { user: await this.view(user), sessionIdHash: idHash };
  }

  /** Removes sessions past their absolute expiry (idle ones are removed when next presented). */
  async purgeExpiredSessions(): Promise<void> {
    await this.sessions.deleteExpired(this.clock.now().toISOString());
  }

  async logout(signedIn: SignedIn): Promise<void> {
    await this.sessions.delete(signedIn.sessionIdHash);
    await this.audit.record({
      ts: this.clock.now().toISOString(),
      actor: signedIn.user.username,
      action: 'auth.logout',
    });
  }

  async changePassword(signedIn: SignedIn, currentPassword: string, newPassword: string): Promise<void> {
    const user = (await this.users.findById(signedIn.user.id)) as UserRow;
    if (user.auth_source === 'ldap') {
      throw ApiError.badRequest('this account signs in with its Active Directory password: change it in Windows');
    }
    if (!(await this.hasher.verify(currentPassword, user.password_hash))) {
      throw ApiError.badRequest(
        'the current password is wrong',
        { currentPassword: 'wrong password' },
        { currentPassword: 'PASSWORD_WRONG_CURRENT' },
      );
    }
    if (currentPassword === newPassword) {
      throw ApiError.badRequest(
        'choose a new password',
        { newPassword: 'the new password is the current one' },
        { newPassword: 'PASSWORD_UNCHANGED' },
      );
    }
    const verdict = this.policy.check(newPassword, { username: user.username });
    if (!verdict.ok) {
      throw ApiError.badRequest(verdict.reason, { newPassword: verdict.reason }, { newPassword: verdict.code });
    }
    const now = this.clock.now().toISOString();
    await this.users.update(user.id, {
      password_hash: await this.hasher.hash(newPassword),
      must_change_password: 0,
      password_changed_at: now,
    });
    // Other sessions may belong to whoever knew the old password.
    await this.sessions.deleteForUser(user.id, signedIn.sessionIdHash);
    await this.audit.record({ ts: now, actor: user.username, action: 'auth.password_changed' });
    this.logger.info('password changed', { username: user.username });
  }
}
