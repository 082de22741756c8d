import { Controller, Get, Header, Inject, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/session.guard.js';
import { InstallService } from './install.service.js';

/**
 * `curl … | sudo sh` installation: the script for a token, the agent package and the CA certificate.
 * All public: the script is worthless without a valid token, the package and the CA are not secret.
 */
@Controller('install')
export class InstallController {
  constructor(@Inject(InstallService) private readonly install: InstallService) {}

  @Public()
  @Get('ca.pem')
  @Header('Content-Type', 'application/x-pem-file')
  ca(): string {
    return this.install.caCertPem;
  }

  @Public()
  @Get('agent.deb')
  async agentDeb(@Res() res: Response): Promise<void> {
    const { pkg, stream } = await this.install.agentPackage();
    res.setHeader('Content-Type', 'application/vnd.debian.binary-package');
    res.setHeader('Content-Length', String(pkg.bytes));
    res.setHeader('Content-Disposition', `attachment; filename="${pkg.fileName}"`);
    res.setHeader('X-Bascule-Sha256', pkg.sha256);
    stream.on('error', (err) => res.destroy(err));
    stream.pipe(res);
  }

  /**
   * Always 200 with a script: with `curl -f`, a 4xx would hand `sh` an empty script that "succeeds";
   * a refused token gets a script that says why and exits 1. The token is not consumed here.
   */
  @Public()
  @Get(':token')
  async script(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const script = await this.install.script(token, `https://${req.headers.host ?? ''}`);
    res.setHeader('Content-Type', 'text/x-shellscript; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Bascule-Install', script.usable ? 'ok' : 'refused');
    res.status(200).send(script.text);
  }
}
