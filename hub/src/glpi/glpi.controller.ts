import { Controller, Get, Inject, Param } from '@nestjs/common';
import { GlpiExportService } from './glpi-export.service.js';

@Controller('api/v1')
export class GlpiController {
  constructor(@Inject(GlpiExportService) private readonly glpi: GlpiExportService) {}

  /** The device's inventory in GLPI's native inventory JSON (what glpi-agent sends). */
  @Get('devices/:id/glpi')
  export(@Param('id') id: string) {
    return this.glpi.export(id);
  }
}
