import { Body, Controller, Get, Inject, Put, Req } from '@nestjs/common';
import { z } from 'zod';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import { CLOCK } from '../core/tokens.js';
import { ZodBody } from '../http/zod-body.pipe.js';
import { AccountSettingsRepository } from './account-settings.repository.js';
import { type AuthedRequest, Roles, signedInOf } from './session.guard.js';

const settingsBody = z.object({ requireTotp: z.boolean() }).strict();

/** Hub-wide account settings: whether admin and helpdesk accounts must use TOTP. */
@Controller('api/v1/settings/accounts')
@Roles('admin')
export class AccountSettingsController {
  constructor(
    @Inject(AccountSettingsRepository) private readonly settings: AccountSettingsRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  get() {
    return this.settings.get();
  }

  @Put()
  async set(@Body(new ZodBody(settingsBody)) body: z.infer<typeof settingsBody>, @Req() req: AuthedRequest) {
    const actor = signedInOf(req).user.username;
    const before = await this.settings.get();
    const now = this.clock.now().toISOString();
    await this.settings.set(body, now, actor);
    const after = await this.settings.get();
    await this.audit.record({
      ts: now,
      actor,
      action: 'settings.accounts_changed',
      target: 'accounts',
      detail: { before, after },
    });
    return after;
  }
}
