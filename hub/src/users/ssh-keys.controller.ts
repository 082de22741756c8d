import { Body, Controller, Delete, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { type AuthedRequest, Roles, signedInOf } from '../auth/session.guard.js';
import { contentRange } from '../http/list-query.js';
import { ZodBody } from '../http/zod-body.pipe.js';
import { SshKeyService, type SshKeyView } from './ssh-key.service.js';

const addBody = z.object({ publicKey: z.string().max(16_384), comment: z.string().max(200).optional() });
type AddBody = z.infer<typeof addBody>;

function listed(res: Response, keys: SshKeyView[]): SshKeyView[] {
  res.setHeader('Content-Range', contentRange('ssh-keys', 0, keys.length, keys.length));
  return keys;
}

/** The signed-in user's own SSH keys (any role may register; only helpdesk and admin can open sessions). */
@Controller('api/v1/account/ssh-keys')
export class AccountSshKeysController {
  constructor(@Inject(SshKeyService) private readonly keys: SshKeyService) {}

  @Get()
  async list(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    return listed(res, await this.keys.list(signedInOf(req).user.id));
  }

  @Post()
  add(@Body(new ZodBody(addBody)) body: AddBody, @Req() req: AuthedRequest) {
    const { user } = signedInOf(req);
    return this.keys.add(user.id, body, user.username);
  }

  @Delete(':keyId')
  remove(@Param('keyId') keyId: string, @Req() req: AuthedRequest) {
    const { user } = signedInOf(req);
    return this.keys.remove(user.id, keyId, user.username);
  }
}

/** An administrator manages anyone's SSH keys. */
@Controller('api/v1/users/:id/ssh-keys')
@Roles('admin')
export class UserSshKeysController {
  constructor(@Inject(SshKeyService) private readonly keys: SshKeyService) {}

  @Get()
  async list(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return listed(res, await this.keys.list(id));
  }

  @Post()
  add(@Param('id') id: string, @Body(new ZodBody(addBody)) body: AddBody, @Req() req: AuthedRequest) {
    return this.keys.add(id, body, signedInOf(req).user.username);
  }

  @Delete(':keyId')
  remove(@Param('id') id: string, @Param('keyId') keyId: string, @Req() req: AuthedRequest) {
    return this.keys.remove(id, keyId, signedInOf(req).user.username);
  }
}
