import { type CanActivate, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import type { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiError } from '../http/http-errors.js';
import type { AuthService, SignedIn } from './auth.service.js';
import { joinRoutePath, scopeRule } from './department-scope.js';
import type { DepartmentScopeService } from './department-scope.service.js';
import type { Role } from './user.repository.js';

export const SESSION_COOKIE = 'bascule_session';
const PUBLIC = 'bascule:public';
const ROLES = 'bascule:roles';
const ALLOW_PENDING_PASSWORD = 'bascule:allow-pending-password';
const ALLOW_PENDING_TOTP = 'bascule:allow-pending-totp';
export const TOTP_ENROLMENT_REQUIRED = 'TOTP_ENROLMENT_REQUIRED';
export const DEPARTMENT_SCOPE = 'DEPARTMENT_SCOPE';

/** No session needed (health, login, enrolment). */
export const Public = () => SetMetadata(PUBLIC, true);
/** Only these roles (default: any signed-in user). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);
/** Reachable while the one-time password has not been changed yet. */
export const AllowPendingPassword = () => SetMetadata(ALLOW_PENDING_PASSWORD, true);

/** Reachable while the hub requires TOTP for the account's role and none is enrolled yet. */
export const AllowPendingTotp = () => SetMetadata(ALLOW_PENDING_TOTP, true);

export type AuthedRequest = Request & { signedIn?: SignedIn };

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * Every route needs a session unless marked @Public; roles, the pending password change and the pending
 * TOTP enrolment are enforced here.
 */
export class SessionGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
    private readonly scope: DepartmentScopeService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const signedIn = await this.auth.authenticate(readCookie(req.headers.cookie, SESSION_COOKIE));
    if (!signedIn) throw ApiError.unauthorized('sign in first');
    req.signedIn = signedIn;
    if (
      signedIn.user.mustChangePassword &&
      !this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING_PASSWORD, targets)
    ) {
      throw ApiError.forbidden('change your one-time password first', 'PASSWORD_CHANGE_REQUIRED');
    }
    if (
      signedIn.user.totpEnrolmentRequired &&
      !this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING_TOTP, targets)
    ) {
      throw ApiError.forbidden('enrol a TOTP second factor first (profile page)', TOTP_ENROLMENT_REQUIRED);
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(signedIn.user.role)) {
      throw ApiError.forbidden(`this needs the role ${roles.join(' or ')}`);
    }
    if (signedIn.user.departments !== null) await this.checkScope(context, req, signedIn);
    return true;
  }

  /** An account limited to departments: see department-scope.ts for what each route means. */
  private async checkScope(context: ExecutionContext, req: AuthedRequest, signedIn: SignedIn): Promise<void> {
    const path = joinRoutePath(
      Reflect.getMetadata(PATH_METADATA, context.getClass()) as string | undefined,
      Reflect.getMetadata(PATH_METADATA, context.getHandler()) as string | undefined,
    );
    const rule = scopeRule(req.method, path);
    if (rule === null) {
      throw ApiError.forbidden(
        'this account is limited to departments: this page is not available to it',
        DEPARTMENT_SCOPE,
      );
    }
    if (rule === 'device') {
      const id = String(req.params.id ?? '');
      // As for an unknown device: an out-of-scope account learns nothing about devices it cannot see.
      if (!(await this.scope.allowsDevice(signedIn.user, id))) throw ApiError.notFound(`no device ${id}`);
    }
  }
}

export function signedInOf(req: AuthedRequest): SignedIn {
  if (!req.signedIn) throw ApiError.unauthorized('sign in first');
  return req.signedIn;
}
