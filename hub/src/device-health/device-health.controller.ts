import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { DeviceHealthService } from './device-health.service.js';

@Controller('api/v1/devices')
export class DeviceHealthController {
  constructor(@Inject(DeviceHealthService) private readonly health: DeviceHealthService) {}

  /** `?range=24h|7d|1y` (default 24h): raw samples for 24 h, hourly roll-ups otherwise. */
  @Get(':id/health')
  series(@Param('id') id: string, @Query('range') range?: string) {
    return this.health.series(id, range);
  }
}
