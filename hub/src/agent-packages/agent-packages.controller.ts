import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type AuthedRequest, Public, Roles, signedInOf } from '../auth/session.guard.js';
import { DeviceAuthenticator } from '../broker/device-authenticator.js';
import { ApiError } from '../http/http-errors.js';
import { AgentPackageService } from './agent-package.service.js';
import { AgentPackageError, type StoredAgentPackage } from './agent-package.store.js';

const view = (p: StoredAgentPackage) => ({ id: p.version, ...p });

/** `Authorization: Basic base64(deviceId:secret)`, the device's MQTT credentials; null when absent or malformed. */
export function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  const m = /^Basic ([A-Za-z0-9+/=]{1,1024})$/.exec(header ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon > 0 ? { user: text.slice(0, colon), password: text.slice(colon + 1) } : null;
}

function refused(err: unknown): never {
  if (err instanceof AgentPackageError) {
    throw err.kind === 'conflict' ? ApiError.conflict(err.message, 'VERSION_TAKEN') : ApiError.badRequest(err.message);
  }
  throw err;
}

/**
 * The agent packages for self-update. Administrators list and upload; the content is for devices only,
 * authenticated with their own credentials (the same as on MQTT), never a user's session.
 */
@Controller('api/v1/agent-packages')
export class AgentPackagesController {
  constructor(
    @Inject(AgentPackageService) private readonly packages: AgentPackageService,
    @Inject(DeviceAuthenticator) private readonly devices: DeviceAuthenticator,
  ) {}

  @Get()
  @Roles('admin')
  async list(@Res({ passthrough: true }) res: Response) {
    const rows = (await this.packages.list()).map(view);
    res.setHeader('Content-Range', `agent-packages 0-${Math.max(rows.length - 1, 0)}/${rows.length}`);
    return rows;
  }

  /** The body is the .deb itself (`curl --data-binary @bascule-agent_0.2.0_amd64.deb`). */
  @Post()
  @Roles('admin')
  async upload(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
    if (type !== 'application/vnd.debian.binary-package' && type !== 'application/octet-stream') {
      throw ApiError.badRequest('send the .deb as the body with Content-Type: application/vnd.debian.binary-package');
    }
    const actor = signedInOf(req).user.username;
    const result = await this.packages.addUpload(req, actor).catch(refused);
    res.status(result.added ? 201 : 200);
    return { ...view(result.pkg), added: result.added };
  }

  @Public()
  @Get(':file/content')
  async content(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const credentials = basicCredentials(req.headers.authorization);
    if (!credentials || !(await this.devices.verify(credentials.user, credentials.password))) {
      res.setHeader('WWW-Authenticate', 'Basic realm="bascule devices"');
      throw ApiError.unauthorized(
        'agent packages are for enrolled devices: authenticate with the device id and secret',
      );
    }
    const found = await this.packages.download(file);
    if (!found) throw ApiError.notFound(`the hub has no agent package ${JSON.stringify(file)}`);
    res.setHeader('Content-Type', 'application/vnd.debian.binary-package');
    res.setHeader('Content-Length', String(found.pkg.bytes));
    res.setHeader('X-Bascule-Sha256', found.pkg.sha256);
    found.stream.on('error', (err) => res.destroy(err));
    found.stream.pipe(res);
  }
}
