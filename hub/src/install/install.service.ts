import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { hashToken } from '../enrolment/enrolment.service.js';
import type { TokenRow } from '../enrolment/token.repository.js';
import { ApiError } from '../http/http-errors.js';
import type { AgentPackage, AgentPackageRepository } from './agent-package.repository.js';
import { isHubUrl, isInstallToken, renderInstallScript, renderRefusalScript } from './install-script.js';

/** Reads a token without taking a use of it: only the enrolment itself consumes one. */
export interface TokenLookup {
  findByHash(tokenHash: string): Promise<TokenRow | undefined>;
}

export interface InstallScript {
  /** false: the script only explains why it cannot install, and exits 1. */
  usable: boolean;
  text: string;
}

/** The install script and the agent package that `curl … | sudo sh` installs. */
export class InstallService {
  constructor(
    private readonly tokens: TokenLookup,
    private readonly packages: AgentPackageRepository,
    private readonly ca: { caCertPem: string; caHash: string },
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  get caCertPem(): string {
    return this.ca.caCertPem;
  }

  async script(token: string, hubUrl: string): Promise<InstallScript> {
    const refuse = (reason: string, extra: Record<string, unknown> = {}): InstallScript => {
      this.logger.info('install script refused', { reason, ...extra });
      return { usable: false, text: renderRefusalScript(reason) };
    };
    if (!isInstallToken(token)) return refuse('this is not an enrolment token');
    if (!isHubUrl(hubUrl)) return refuse(`the hub was reached as ${JSON.stringify(hubUrl)}, which is not a host name`);
    const row = await this.tokens.findByHash(hashToken(token));
    if (!row) return refuse('the enrolment token is not recognised by this hub');
    const extra = { tokenId: row.id };
    if (Date.parse(row.expires_at) <= this.clock.now().getTime()) {
      return refuse(`the enrolment token expired at ${row.expires_at}`, extra);
    }
    if (row.uses_count >= row.uses_allowed) {
      return refuse(`the enrolment token was already used ${row.uses_allowed} time(s)`, extra);
    }
    const { pkg, lookedIn } = await this.packages.find();
    if (!pkg) {
      this.logger.error('no agent package to serve', { lookedIn });
      return refuse('the hub has no agent package to serve (tell IT: see the hub log)', extra);
    }
    this.logger.info('install script served', { ...extra, hubUrl, package: pkg.fileName });
    return {
      usable: true,
      text: renderInstallScript({
        hubUrl,
        token,
        department: row.department,
        caCertPem: this.ca.caCertPem,
        caHash: this.ca.caHash,
        package: pkg,
      }),
    };
  }

  async agentPackage(): Promise<{ pkg: AgentPackage; stream: NodeJS.ReadableStream }> {
    const { pkg, lookedIn } = await this.packages.find();
    if (!pkg) {
      this.logger.error('no agent package to serve', { lookedIn });
      throw ApiError.notFound(
        `no agent package: put bascule-agent_<version>_amd64.deb in ${lookedIn.join(' or ')}, or set BASCULE_AGENT_PACKAGE`,
      );
    }
    return { pkg, stream: this.packages.open(pkg) };
  }
}
