import { Controller, Get, Inject, Query } from '@nestjs/common';
import type { Clock } from '../core/clock.js';
import { CLOCK } from '../core/tokens.js';
import { ApiError } from '../http/http-errors.js';
import { type FleetOverview, FleetRepository } from './fleet.repository.js';

@Controller('api/v1/fleet')
export class FleetController {
  constructor(
    @Inject(FleetRepository) private readonly fleet: FleetRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Counts by OS version, hardware model, department, alert type, online/offline; `?department=` narrows it. */
  @Get('overview')
  async overview(@Query('department') department?: string): Promise<FleetOverview> {
    if (Array.isArray(department)) throw ApiError.badRequest('department must be given once');
    return { generatedAt: this.clock.now().toISOString(), ...(await this.fleet.overview(department || undefined)) };
  }
}
