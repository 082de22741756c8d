import { createHash, randomBytes } from 'node:crypto';
import type { EnrollRequest, EnrollResponse, IdGenerator } from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { LoginLimiter } from '../auth/login-limiter.js';
import { hashDeviceSecret } from '../broker/device-authenticator.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { DeviceRepository } from '../devices/device.repository.js';
import { ApiError } from '../http/http-errors.js';
import type { TokenRepository } from './token.repository.js';

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** `24h`, `30m`, `7d`, `3600s` → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)\s*([smhd])$/.exec(text.trim());
  if (!m) throw new Error(`invalid duration "${text}": use a number followed by s, m, h or d (e.g. 24h)`);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/**
 * A machine-id already known, on other hardware: another serial or DMI UUID, or network cards none of
 * which the first device had (virtual machines often share an empty serial). That is a copy of an
 * image that was not prepared (`bascule-agent prepare-image`): the hub enrols it as a new device,
 * flagged, and never merges the two.
 */
export function otherHardware(
  first: { serial: string; dmi_uuid: string; macs: string },
  id: { serial: string; dmiUuid: string; macs: readonly string[] },
): boolean {
  if (first.serial !== id.serial || first.dmi_uuid !== id.dmiUuid) return true;
  const known = new Set((JSON.parse(first.macs) as string[]).map((m) => m.toLowerCase()));
  const macs = id.macs.map((m) => m.toLowerCase());
  return known.size > 0 && macs.length > 0 && !macs.some((m) => known.has(m));
}

export interface CreatedToken {
  token: string;
  id: string;
  department: string;
  uses: number;
  expiresAt: string;
}

/** What reacts to a new device once it is stored (the registry's matching); a failure costs only the listener. */
export interface EnrolmentListener {
  enrolled(deviceId: string): Promise<void>;
}

export class EnrolmentService {
  constructor(
    private readonly tokens: TokenRepository,
    private readonly devices: DeviceRepository,
    private readonly audit: AuditRepository,
    private readonly limiter: LoginLimiter,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly listeners: readonly EnrolmentListener[] = [],
  ) {}

  async createToken(input: {
    department: string;
    uses: number;
    expiresInMs: number;
    createdBy: string;
  }): Promise<CreatedToken> {
    const department = input.department.trim();
    if (!department || department.length > 200) throw new Error('--department must be 1 to 200 characters');
    if (!Number.isInteger(input.uses) || input.uses < 1 || input.uses > 100_000) {
      throw new Error('--uses must be a whole number between 1 and 100000');
    }
    if (input.expiresInMs <= 0 || input.expiresInMs > 366 * 86_400_000)
      throw new Error('--expires must be at most 366 days');
    const token = `bt_${randomBytes(24).toString('base64url')}`;
    const now = this.clock.now();
    const row = {
      id: this.ids(),
      token_hash: hashToken(token),
      department,
      uses_allowed: input.uses,
      uses_count: 0,
      expires_at: new Date(now.getTime() + input.expiresInMs).toISOString(),
      created_at: now.toISOString(),
      created_by: input.createdBy,
    };
    await this.tokens.insert(row);
    await this.audit.record({
      ts: row.created_at,
      actor: input.createdBy,
      action: 'token.created',
      target: row.id,
      detail: { department, uses: input.uses, expiresAt: row.expires_at },
    });
    this.logger.info('enrolment token created', {
      tokenId: row.id,
      department,
      uses: input.uses,
      expiresAt: row.expires_at,
    });
    return { token, id: row.id, department, uses: input.uses, expiresAt: row.expires_at };
  }

  /**
   * Enrols a desktop: checks and consumes one use of the token, creates the device with a fresh secret
   * (only its hash is kept). A machine-id already known on other hardware is a cloned image
   * (otherHardware): enrolled as a new device and flagged, never merged.
   */
  async enroll(
    req: EnrollRequest,
    ctx: { ip: string; caCertPem: string; mqttUrls: string[] },
  ): Promise<EnrollResponse> {
    const ipKey = [`enroll-ip:${ctx.ip}`];
    const wait = this.limiter.retryAfterMs(ipKey);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw ApiError.tooManyRequests(
        `too many failed enrolments from this address: try again in ${seconds} s`,
        seconds,
      );
    }
    const now = this.clock.now();
    const token = await this.tokens.findByHash(hashToken(req.token));
    const refuse = (reason: string) => {
      this.limiter.recordFailure(ipKey);
      this.logger.warn('enrolment refused', {
        reason,
        ip: ctx.ip,
        hostname: req.identity.hostname,
        tokenId: token?.id,
      });
      return ApiError.unauthorized(reason);
    };
    if (!token) throw refuse('enrolment token not recognised');
    if (Date.parse(token.expires_at) <= now.getTime()) throw refuse(`enrolment token expired at ${token.expires_at}`);
    if (!(await this.tokens.consume(token.id, now.toISOString()))) {
      throw refuse(`enrolment token already used ${token.uses_allowed} time(s)`);
    }

    const id = req.identity;
    const first = id.machineId ? await this.devices.findFirstByMachineId(id.machineId) : undefined;
    const cloneOf = first && otherHardware(first, id) ? first.id : null;
    const secret = randomBytes(32).toString('base64url');
    const deviceId = this.ids();
    await this.devices.insert({
      id: deviceId,
      hostname: id.hostname,
      department: token.department,
      secret_hash: hashDeviceSecret(secret),
      machine_id: id.machineId,
      dmi_uuid: id.dmiUuid,
      serial: id.serial,
      macs: JSON.stringify(id.macs.map((m) => m.toLowerCase())),
      enrolled_at: now.toISOString(),
      token_id: token.id,
      clone_of: cloneOf,
      online: 0,
      last_seen_at: null,
      os: null,
      kernel: null,
      model: null,
      agent_version: null,
      last_heartbeat: null,
    });
    await this.audit.record({
      ts: now.toISOString(),
      actor: `token:${token.id}`,
      action: 'device.enrolled',
      target: deviceId,
      detail: { hostname: id.hostname, department: token.department, ip: ctx.ip, cloneOf },
    });
    this.logger.info('device enrolled', { deviceId, hostname: id.hostname, department: token.department, cloneOf });
    if (cloneOf)
      this.logger.warn('enrolled machine shares its machine-id with another device: cloned image?', {
        deviceId,
        cloneOf,
      });
    for (const l of this.listeners) {
      await l
        .enrolled(deviceId)
        .catch((err: Error) => this.logger.error('enrolment: listener failed', { deviceId, error: err }));
    }
    return { deviceId, secret, caCertPem: ctx.caCertPem, mqttUrl: ctx.mqttUrls[0] as string, mqttUrls: ctx.mqttUrls };
  }
}
