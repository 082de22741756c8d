import { Controller, Get, Inject, Param } from '@nestjs/common';
import { GlpiExportService } from './glpi-export.service.js';
import { GlpiForwarder } from './glpi-forwarder.js';

@Controller('api/v1')
export class GlpiController {
  constructor(
    @Inject(GlpiExportService) private readonly glpi: GlpiExportService,
    @Inject(GlpiForwarder) private readonly forwarder: GlpiForwarder,
  ) {}

  /** The device's inventory in GLPI's native inventory JSON (what glpi-agent sends). */
  @Get('devices/:id/glpi')
  export(@Param('id') id: string) {
    return this.glpi.export(id);
  }

  /** Forwarding to the GLPI server: configured or not, queue length, last success and failure per device. */
  @Get('glpi/status')
  status() {
    return this.forwarder.status();
  }
}
