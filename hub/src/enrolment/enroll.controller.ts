import { type EnrollRequest, enrollRequestSchema } from '@bascule/protocol';
import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Public } from '../auth/session.guard.js';
import { HubInfo } from '../core/hub-info.js';
import { ZodBody } from '../http/zod-body.pipe.js';
import { EnrolmentService } from './enrolment.service.js';

@Controller('api/v1/enroll')
export class EnrollController {
  constructor(
    @Inject(EnrolmentService) private readonly enrolment: EnrolmentService,
    @Inject(HubInfo) private readonly hub: HubInfo,
  ) {}

  @Public()
  @Post()
  @HttpCode(200)
  enroll(@Body(new ZodBody(enrollRequestSchema)) body: EnrollRequest, @Req() req: Request) {
    return this.enrolment.enroll(body, {
      ip: req.ip ?? 'unknown',
      caCertPem: this.hub.caCertPem,
      // The desktop reached us under this name, so MQTT is reachable under it too.
      mqttUrls: this.hub.mqttUrlsFor(req.hostname),
    });
  }
}
