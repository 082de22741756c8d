import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { ZodBody } from '../http/zod-body.pipe.js';
import { AuthService, SESSION_MAX_MS } from './auth.service.js';
import {
  AllowPendingPassword,
  AllowPendingTotp,
  type AuthedRequest,
  Public,
  SESSION_COOKIE,
  signedInOf,
} from './session.guard.js';

const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) });
const totpLoginBody = z.object({ challenge: z.string().min(1).max(200), code: z.string().min(1).max(64) });
const passwordBody = z.object({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().max(1024) });

const cookieOptions = { httpOnly: true, secure: true, sameSite: 'strict', path: '/' } as const;

@Controller('api/v1/auth')
export class AuthController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(
    @Body(new ZodBody(loginBody)) body: z.infer<typeof loginBody>,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const outcome = await this.auth.passwordStep(body.username, body.password, req.ip ?? 'unknown');
    // The challenge is no cookie: a half-signed-in browser holds nothing another route accepts.
    if (outcome.kind === 'totp-required') return { totpRequired: true, challenge: outcome.challenge };
    res.cookie(SESSION_COOKIE, outcome.cookie, { ...cookieOptions, maxAge: SESSION_MAX_MS });
    return outcome.user;
  }

  /** Second step of a login with TOTP: a 6-digit code or a recovery code. */
  @Public()
  @Post('login/totp')
  @HttpCode(200)
  async loginTotp(
    @Body(new ZodBody(totpLoginBody)) body: z.infer<typeof totpLoginBody>,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { user, cookie } = await this.auth.loginTotp(body.challenge, body.code, req.ip ?? 'unknown');
    res.cookie(SESSION_COOKIE, cookie, { ...cookieOptions, maxAge: SESSION_MAX_MS });
    return user;
  }

  @AllowPendingPassword()
  @AllowPendingTotp()
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    await this.auth.logout(signedInOf(req));
    res.clearCookie(SESSION_COOKIE, cookieOptions);
  }

  @AllowPendingPassword()
  @AllowPendingTotp()
  @Get('me')
  me(@Req() req: AuthedRequest) {
    return signedInOf(req).user;
  }

  @AllowPendingPassword()
  @Post('password')
  @HttpCode(204)
  async changePassword(@Body(new ZodBody(passwordBody)) body: z.infer<typeof passwordBody>, @Req() req: AuthedRequest) {
    await this.auth.changePassword(signedInOf(req), body.currentPassword, body.newPassword);
  }
}
