import { Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { type AuthedRequest, Roles, signedInOf } from '../auth/session.guard.js';
import { InventoryRefreshService } from './inventory-refresh.service.js';

@Controller('api/v1')
export class InventoryRefreshController {
  constructor(@Inject(InventoryRefreshService) private readonly refreshes: InventoryRefreshService) {}

  /** Asks the device for a full inventory now (202: it arrives on its own, like any other). */
  @Post('devices/:id/inventory/refresh')
  @HttpCode(202)
  @Roles('admin', 'helpdesk')
  refresh(@Param('id') id: string, @Req() req: AuthedRequest) {
    return this.refreshes.refresh(id, signedInOf(req).user.username);
  }
}
