import fs from 'node:fs';
import os from 'node:os';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { systemClock } from '../core/clock.js';
import { DEFAULT_HTTP_PORT, dataPaths } from '../core/settings.js';
import { openHubServices } from '../services.js';
import { resolveDataDir } from './common-options.js';
import { stderrLogger } from './token.command.js';

interface VolunteerLinkCreateOptions {
  data?: string;
  name: string;
  hubUrl?: string;
  json?: boolean;
}

@SubCommand({ name: 'create', description: 'Create a volunteer sign-up link to share with the staff' })
export class VolunteerLinkCreateCommand extends CommandRunner {
  async run(_args: string[], o: VolunteerLinkCreateOptions): Promise<void> {
    const name = o.name?.trim();
    if (!name) throw new Error('--name is required (what the staff sees on the form)');
    if (name.length > 120) throw new Error('--name: 120 characters at most');
    const dataDir = resolveDataDir(o.data);
    const paths = dataPaths(dataDir);
    const runtime = fs.existsSync(paths.runtime)
      ? (JSON.parse(fs.readFileSync(paths.runtime, 'utf8')) as { url?: string })
      : {};
    const hubUrl = (o.hubUrl ?? runtime.url ?? `https://${os.hostname()}:${DEFAULT_HTTP_PORT}`).replace(/\/+$/, '');
    const services = await openHubServices(dataDir, systemClock, stderrLogger());
    try {
      const c = await services.volunteers.createCampaign(name, `cli:${os.userInfo().username}`);
      const url = `${hubUrl}${c.path}`;
      if (o.json) process.stdout.write(`${JSON.stringify({ id: c.id, name: c.name, url })}\n`);
      else process.stdout.write(`Volunteer link "${c.name}" (shown once: copy it now):\n  ${url}\n`);
    } finally {
      await services.close();
    }
  }

  @Option({ flags: '--data <dir>', description: 'hub data directory' })
  parseData(v: string) {
    return v;
  }
  @Option({ flags: '--name <text>', description: 'name of the call, shown on the form', required: true })
  parseName(v: string) {
    return v;
  }
  @Option({ flags: '--hub-url <url>', description: 'URL the staff uses to reach the hub (default: the running hub)' })
  parseHubUrl(v: string) {
    return v;
  }
  @Option({ flags: '--json', description: 'print {"id","name","url"} as JSON' })
  parseJson() {
    return true;
  }
}

@Command({ name: 'volunteer-link', description: 'Volunteer sign-up links', subCommands: [VolunteerLinkCreateCommand] })
export class VolunteerLinkCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
