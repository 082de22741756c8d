import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { type ConfigContent, ConfigService } from '../config-publisher/config.service.js';
import { contentRange } from '../http/list-query.js';
import { redactPolicySecrets } from '../policies/policy-secrets.js';
import { ComplianceService } from './compliance.service.js';

/** Compliance per policy and per device, and each device's effective configuration. Every role reads. */
@Controller('api/v1')
export class ComplianceController {
  constructor(
    @Inject(ComplianceService) private readonly compliance: ComplianceService,
    @Inject(ConfigService) private readonly configs: ConfigService,
  ) {}

  @Get('compliance/policies')
  async policies(@Res({ passthrough: true }) res: Response) {
    const rows = (await this.compliance.byPolicy()).map((r) => ({ id: r.policyId, ...r }));
    res.setHeader('Content-Range', contentRange('compliance', 0, rows.length, rows.length));
    return rows;
  }

  @Get('devices/:id/compliance')
  device(@Param('id') id: string) {
    return this.compliance.device(id);
  }

  /** What the device was last sent; its AD one-time password and SIM PIN are masked (the device's secrets). */
  @Get('devices/:id/config')
  async config(@Param('id') id: string) {
    await this.compliance.device(id); // 404 for an unknown device
    const row = await this.configs.find(id);
    if (!row) return { revision: 0, updatedAt: null, modules: {}, agent: {} };
    const content = JSON.parse(row.content) as ConfigContent;
    const adJoin = content.modules['ad-join'];
    if (adJoin && typeof adJoin.settings === 'object' && adJoin.settings && 'oneTimePassword' in adJoin.settings) {
      adJoin.settings = { ...adJoin.settings, oneTimePassword: '********' };
    }
    const wwan = content.modules['wwan-failover'];
    if (wwan) wwan.settings = redactPolicySecrets('wwan-failover', wwan.settings);
    return { revision: row.revision, updatedAt: row.updated_at, ...content };
  }
}
