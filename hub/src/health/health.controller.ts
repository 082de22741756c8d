import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Public } from '../auth/session.guard.js';
import type { Clock } from '../core/clock.js';
import { HubInfo } from '../core/hub-info.js';
import { CLOCK, METRICS } from '../core/tokens.js';
import type { Metrics } from '../metrics/metrics.js';

@Controller()
export class HealthController {
  constructor(
    @Inject(HubInfo) private readonly hub: HubInfo,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(METRICS) private readonly metrics: Metrics,
  ) {}

  @Public()
  @Get('api/v1/health')
  health() {
    return {
      status: 'ok',
      version: this.hub.version,
      uptimeSeconds: Math.round((this.clock.now().getTime() - this.hub.startedAt.getTime()) / 1000),
    };
  }

  @Public()
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  render() {
    return this.metrics.render();
  }
}
