import { createHash, randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { ApiError } from '../http/http-errors.js';
import type { SessionRepository } from './session.repository.js';
import { base32Encode, matchTotp, newTotpSecret, otpauthUri } from './totp.js';
import type { TotpRepository } from './totp.repository.js';
import type { SecretBox } from './totp-secret-box.js';
import type { UserRepository, UserRow, UserView } from './user.repository.js';

export const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Bascule';
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Recovery codes are compared without case, spaces or dashes, as people type them. */
export const hashRecoveryCode = (code: string) =>
  createHash('sha256').update(code.toLowerCase().replace(/[\s-]/g, '')).digest('hex');

/** 16 characters of a 31-letter alphabet (~79 bits), in groups of four. */
function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  const chars = Array.from(bytes, (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
  return chars.match(/.{4}/g)?.join('-') ?? chars;
}

export interface TotpEnrolment {
  /** Base32, for people who type it into their app instead of scanning. */
  secret: string;
  otpauthUri: string;
  /** The QR code of `otpauthUri`, rendered by the hub (no third-party service sees the secret). */
  qrSvg: string;
}

export interface TotpStatus {
  enabled: boolean;
  enabledAt: string | null;
  recoveryCodesLeft: number;
}

/**
 * The TOTP second factor of an account: enrolment (a pending secret until a first code confirms it),
 * verification at login (a code, newer than the last one used, or a recovery code, used once), and the
 * administrator's reset. Secrets are sealed with the hub's key and never returned after confirmation.
 */
export class TotpService {
  constructor(
    private readonly users: UserRepository,
    private readonly totp: TotpRepository,
    private readonly sessions: SessionRepository,
    private readonly box: SecretBox,
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async status(userId: string): Promise<TotpStatus> {
    const user = await this.user(userId);
    return {
      enabled: user.totp_enabled_at !== null,
      enabledAt: user.totp_enabled_at,
      recoveryCodesLeft: user.totp_enabled_at ? await this.totp.countUnusedRecoveryCodes(userId) : 0,
    };
  }

  /** Starts (or starts again) an enrolment; the enrolled factor, if any, stays until the new one is confirmed. */
  async begin(userId: string): Promise<TotpEnrolment> {
    const user = await this.user(userId);
    const secret = newTotpSecret();
    await this.users.update(user.id, { totp_pending_secret: this.box.seal(secret) });
    const uri = otpauthUri(ISSUER, user.username, secret);
    return {
      secret: base32Encode(secret),
      otpauthUri: uri,
      qrSvg: await QRCode.toString(uri, { type: 'svg', margin: 1 }),
    };
  }

  /** Confirms the pending secret with a first code; returns the recovery codes, shown this once. */
  async confirm(userId: string, code: string): Promise<{ recoveryCodes: string[] }> {
    const user = await this.user(userId);
    if (!user.totp_pending_secret) {
      throw ApiError.conflict('start the enrolment first', 'TOTP_NO_ENROLMENT');
    }
    const now = this.clock.now();
    const step = matchTotp(this.box.open(user.totp_pending_secret), code.trim(), now.getTime());
    if (step === null) {
      throw ApiError.badRequest(
        'this code does not match: check the time of the phone',
        { code: 'wrong code' },
        { code: 'TOTP_WRONG_CODE' },
      );
    }
    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.users.update(user.id, {
      totp_secret: user.totp_pending_secret,
      totp_pending_secret: null,
      totp_enabled_at: now.toISOString(),
      totp_last_step: step,
    });
    await this.totp.replaceRecoveryCodes(user.id, recoveryCodes.map(hashRecoveryCode));
    await this.audit.record({
      ts: now.toISOString(),
      actor: user.username,
      action: 'auth.totp_enrolled',
      target: user.username,
      detail: { before: { totp: user.totp_enabled_at !== null }, after: { totp: true } },
    });
    this.logger.info('totp enrolled', { username: user.username });
    return { recoveryCodes };
  }

  /**
   * True when `code` is a current TOTP code not used before, or an unused recovery code (then spent).
   * The caller throttles failures.
   */
  async verify(user: UserRow, code: string): Promise<{ ok: boolean; recoveryCode: boolean }> {
    if (!user.totp_secret) return { ok: false, recoveryCode: false };
    const now = this.clock.now();
    const trimmed = code.trim();
    if (/^\d{6}$/.test(trimmed)) {
      const step = matchTotp(this.box.open(user.totp_secret), trimmed, now.getTime());
      return { ok: step !== null && (await this.totp.advanceStep(user.id, step)), recoveryCode: false };
    }
    const used = await this.totp.useRecoveryCode(user.id, hashRecoveryCode(trimmed), now.toISOString());
    if (used) {
      await this.audit.record({
        ts: now.toISOString(),
        actor: user.username,
        action: 'auth.totp_recovery_code_used',
        target: user.username,
        detail: { left: await this.totp.countUnusedRecoveryCodes(user.id) },
      });
    }
    return { ok: used, recoveryCode: used };
  }

  /** An administrator removes someone's factor (lost phone): they enrol again at next sign-in if required. */
  async reset(userId: string, actor: UserView): Promise<void> {
    const user = await this.user(userId);
    await this.users.update(user.id, {
      totp_secret: null,
      totp_pending_secret: null,
      totp_enabled_at: null,
      totp_last_step: null,
    });
    await this.totp.replaceRecoveryCodes(user.id, []);
    await this.sessions.deleteForUser(user.id);
    await this.audit.record({
      ts: this.clock.now().toISOString(),
      actor: actor.username,
      action: 'user.totp_reset',
      target: user.username,
      detail: { before: { totp: user.totp_enabled_at !== null }, after: { totp: false } },
    });
    this.logger.info('totp reset', { username: user.username, actor: actor.username });
  }

  private async user(id: string): Promise<UserRow> {
    const user = await this.users.findById(id);
    if (!user) throw ApiError.notFound(`no user ${id}`);
    return user;
  }
}
