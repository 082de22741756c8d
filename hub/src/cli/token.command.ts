import fs from 'node:fs';
import os from 'node:os';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { systemClock } from '../core/clock.js';
import { Logger } from '../core/logger.js';
import { DEFAULT_HTTP_PORT, dataPaths } from '../core/settings.js';
import { parseDuration } from '../enrolment/enrolment.service.js';
import { installCommand, isHubUrl } from '../install/install-script.js';
import { readCaHash } from '../pki/pki.js';
import { openHubServices } from '../services.js';
import { parsePositiveInt, resolveDataDir } from './common-options.js';

interface TokenCreateOptions {
  data?: string;
  department: string;
  uses?: number;
  expires?: string;
  hubUrl?: string;
  json?: boolean;
}

/** Diagnostics of CLI commands go to stderr so that stdout stays clean for `--json`. */
export const stderrLogger = () =>
  new Logger((line) => process.stderr.write(`${line}\n`), 'warn', { svc: 'bascule-hub' });

@SubCommand({ name: 'create', description: 'Create an enrolment token and print the command to run on a desktop' })
export class TokenCreateCommand extends CommandRunner {
  async run(_args: string[], o: TokenCreateOptions): Promise<void> {
    if (!o.department) throw new Error('--department is required');
    const dataDir = resolveDataDir(o.data);
    const paths = dataPaths(dataDir);
    const runtime = fs.existsSync(paths.runtime)
      ? (JSON.parse(fs.readFileSync(paths.runtime, 'utf8')) as { url?: string; tlsCertFile?: string | null })
      : {};
    const caHash = readCaHash(paths.tlsDir, runtime.tlsCertFile ?? undefined);
    const hubUrl = (o.hubUrl ?? runtime.url ?? `https://${os.hostname()}:${DEFAULT_HTTP_PORT}`).replace(/\/+$/, '');
    const services = await openHubServices(dataDir, systemClock, stderrLogger());
    try {
      const t = await services.enrolment.createToken({
        department: o.department,
        uses: o.uses ?? 1,
        expiresInMs: parseDuration(o.expires ?? '24h'),
        createdBy: `cli:${os.userInfo().username}`,
      });
      const command = `sudo bascule-agent enroll --hub ${hubUrl} --token ${t.token} --ca-hash ${caHash}`;
      // Installs the agent package from the hub, then enrols (docs: hub/src/install, images/README.md).
      // A hub URL with a path (behind a reverse proxy) has no install command: the script is served at /install.
      const install = isHubUrl(hubUrl) ? installCommand(hubUrl, t.token, caHash) : null;
      if (o.json) {
        process.stdout.write(
          `${JSON.stringify({ token: t.token, caHash, hubUrl, command, installCommand: install, department: t.department, uses: t.uses, expiresAt: t.expiresAt })}\n`,
        );
      } else {
        process.stdout.write(
          `Enrolment token for "${t.department}" (${t.uses} use(s), expires ${t.expiresAt}):\n  ${t.token}\n\n` +
            `Run on the desktop (agent already installed):\n  ${command}\n\n` +
            (install ? `Or install the agent from the hub and enrol, in one command:\n  ${install}\n` : ''),
        );
      }
    } finally {
      await services.close();
    }
  }

  @Option({ flags: '--data <dir>', description: 'hub data directory' })
  parseData(v: string) {
    return v;
  }
  @Option({ flags: '--department <name>', description: 'department the enrolled desktops belong to', required: true })
  parseDepartment(v: string) {
    return v;
  }
  @Option({ flags: '--uses <n>', description: 'how many desktops may enrol with it (default 1)' })
  parseUses(v: string) {
    return parsePositiveInt(v);
  }
  @Option({ flags: '--expires <duration>', description: 'lifetime: 30m, 24h, 7d (default 24h)' })
  parseExpires(v: string) {
    parseDuration(v);
    return v;
  }
  @Option({ flags: '--hub-url <url>', description: 'URL desktops use to reach the hub (default: the running hub)' })
  parseHubUrl(v: string) {
    return v;
  }
  @Option({ flags: '--json', description: 'print {"token","caHash","hubUrl","command"} as JSON' })
  parseJson() {
    return true;
  }
}

@Command({ name: 'token', description: 'Enrolment tokens', subCommands: [TokenCreateCommand] })
export class TokenCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
