import { Body, Controller, Inject, Param, Patch, Req } from '@nestjs/common';
import { type AuthedRequest, Roles, signedInOf } from '../auth/session.guard.js';
import { DeviceMeteredService } from './device-metered.service.js';

@Controller('api/v1')
export class DeviceMeteredController {
  constructor(@Inject(DeviceMeteredService) private readonly metered: DeviceMeteredService) {}

  /** `{"metered": "auto" | "on" | "off"}`: the device as it now is. */
  @Patch('devices/:id')
  @Roles('admin', 'helpdesk')
  patch(@Param('id') id: string, @Body() body: unknown, @Req() req: AuthedRequest) {
    return this.metered.patch(id, body, signedInOf(req).user.username);
  }
}
