import { Controller, ForbiddenException, Get, Header, Inject, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Public } from '../auth/session.guard.js';
import type { Clock } from '../core/clock.js';
import { HubInfo } from '../core/hub-info.js';
import { CLOCK, METRICS } from '../core/tokens.js';
import type { Metrics } from '../metrics/metrics.js';
import { MetricsAccess } from '../metrics/metrics-access.js';

@Controller()
export class HealthController {
  constructor(
    @Inject(HubInfo) private readonly hub: HubInfo,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(MetricsAccess) private readonly access: MetricsAccess,
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

  /** Prometheus scrape: from the hub's machine, or with `Authorization: Bearer` and DATA/metrics-token. */
  @Public()
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async render(@Req() req: Request) {
    if (!this.access.allows(req.socket.remoteAddress, req.headers.authorization)) {
      throw new ForbiddenException(
        '/metrics from another machine needs "Authorization: Bearer <token>", the token being in DATA/metrics-token',
      );
    }
    return this.metrics.render();
  }
}
