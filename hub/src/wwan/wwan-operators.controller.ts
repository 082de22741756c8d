import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { type AuthedRequest, Roles, signedInOf } from '../auth/session.guard.js';
import { WwanOperatorsService } from './wwan-operators.service.js';

@Controller('api/v1')
export class WwanOperatorsController {
  constructor(@Inject(WwanOperatorsService) private readonly operators: WwanOperatorsService) {}

  /** The operators the device's modem sees (can take up to two minutes). */
  @Post('devices/:id/wwan/operators/scan')
  @HttpCode(200)
  @Roles('admin', 'helpdesk')
  scan(@Param('id') id: string, @Req() req: AuthedRequest) {
    return this.operators.scan(id, signedInOf(req).user.username);
  }

  /** Registers the modem on `{operator: "20810"}` and pins the device's 4G profile to it. */
  @Post('devices/:id/wwan/operators/register')
  @HttpCode(200)
  @Roles('admin', 'helpdesk')
  register(@Param('id') id: string, @Body() body: unknown, @Req() req: AuthedRequest) {
    return this.operators.register(id, body, signedInOf(req).user.username);
  }
}
