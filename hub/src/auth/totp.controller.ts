import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { z } from 'zod';
import { ZodBody } from '../http/zod-body.pipe.js';
import { AllowPendingTotp, type AuthedRequest, Roles, signedInOf } from './session.guard.js';
import { TotpService } from './totp.service.js';

const confirmBody = z.object({ code: z.string().min(1).max(16) });

/** The signed-in user's own TOTP second factor. */
@Controller('api/v1/account/totp')
@AllowPendingTotp()
export class AccountTotpController {
  constructor(@Inject(TotpService) private readonly totp: TotpService) {}

  @Get()
  status(@Req() req: AuthedRequest) {
    return this.totp.status(signedInOf(req).user.id);
  }

  /** A new secret and its QR code; confirmed by `POST confirm` with a first code. */
  @Post('enrolment')
  @HttpCode(200)
  begin(@Req() req: AuthedRequest) {
    return this.totp.begin(signedInOf(req).user.id);
  }

  @Post('confirm')
  @HttpCode(200)
  confirm(@Body(new ZodBody(confirmBody)) body: z.infer<typeof confirmBody>, @Req() req: AuthedRequest) {
    return this.totp.confirm(signedInOf(req).user.id, body.code);
  }
}

/** An administrator removes someone's second factor (lost phone). */
@Controller('api/v1/users/:id/totp')
@Roles('admin')
export class UserTotpController {
  constructor(@Inject(TotpService) private readonly totp: TotpService) {}

  @Get()
  status(@Param('id') id: string) {
    return this.totp.status(id);
  }

  @Delete()
  @HttpCode(204)
  async reset(@Param('id') id: string, @Req() req: AuthedRequest) {
    await this.totp.reset(id, signedInOf(req).user);
  }
}
