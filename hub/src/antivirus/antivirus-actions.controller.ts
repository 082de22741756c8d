import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { type AuthedRequest, Roles, signedInOf } from '../auth/session.guard.js';
import { AntivirusActionsService } from './antivirus-actions.service.js';

@Controller('api/v1')
export class AntivirusActionsController {
  constructor(@Inject(AntivirusActionsService) private readonly actions: AntivirusActionsService) {}

  /** "Scan now": `{paths?}`; 202 with the scan's id, whose progress and result come as device events. */
  @Post('devices/:id/antivirus/scan')
  @HttpCode(202)
  @Roles('admin', 'helpdesk')
  scan(@Param('id') id: string, @Body() body: unknown, @Req() req: AuthedRequest) {
    return this.actions.scan(id, body, signedInOf(req).user.username);
  }

  /** Puts a quarantined file back where it was on the device (never over a file that is there now). */
  @Post('devices/:id/antivirus/quarantine/:quarantineId/restore')
  @HttpCode(200)
  @Roles('admin', 'helpdesk')
  restore(@Param('id') id: string, @Param('quarantineId') quarantineId: string, @Req() req: AuthedRequest) {
    return this.actions.restore(id, quarantineId, signedInOf(req).user.username);
  }
}
