import os from 'node:os';
import path from 'node:path';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { AgentPackageService } from '../agent-packages/agent-package.service.js';
import { AgentPackageStore, agentPackagesDir } from '../agent-packages/agent-package.store.js';
import { readDebControl } from '../agent-packages/deb-control.js';
import { systemClock } from '../core/clock.js';
import { openHubServices } from '../services.js';
import { resolveDataDir } from './common-options.js';
import { stderrLogger } from './token.command.js';

/**
 * The service as the CLI uses it: without the configs computed again afterwards. Only the running hub
 * may do that, because it also publishes them; a config stored here unpublished would look up to date
 * to the hub. The running hub computes them again on its 10 s timer and picks the package up then.
 */
async function withPackages<T>(dataDir: string, fn: (packages: AgentPackageService) => Promise<T>): Promise<T> {
  const logger = stderrLogger();
  const services = await openHubServices(dataDir, systemClock, logger);
  try {
    const packages = new AgentPackageService(
      new AgentPackageStore(services.database.db, agentPackagesDir(dataDir), readDebControl),
      services.audit,
      async () => undefined,
      systemClock,
      logger,
    );
    return await fn(packages);
  } finally {
    await services.close();
  }
}

@SubCommand({
  name: 'add',
  arguments: '<file>',
  description: 'Add a bascule-agent .deb to the packages the hub serves (agent-update policies, install script)',
})
export class AgentPackageAddCommand extends CommandRunner {
  async run(args: string[], o: { data?: string; json?: boolean }): Promise<void> {
    const file = path.resolve(args[0] ?? '');
    const { pkg, added } = await withPackages(resolveDataDir(o.data), (p) =>
      p.addFile(file, `cli:${os.userInfo().username}`),
    );
    if (o.json) {
      process.stdout.write(`${JSON.stringify({ ...pkg, added })}\n`);
      return;
    }
    process.stdout.write(
      added
        ? `bascule-agent ${pkg.version} added (${pkg.fileName}, ${pkg.bytes} bytes, sha256 ${pkg.sha256}).\n` +
            `Name it in an agent-update policy to move desktops to it.\n`
        : `bascule-agent ${pkg.version} was already there with the same content: nothing changed.\n`,
    );
  }

  @Option({ flags: '--data <dir>', description: 'hub data directory' })
  parseData(v: string) {
    return v;
  }
  @Option({ flags: '--json', description: 'print the stored package as JSON' })
  parseJson() {
    return true;
  }
}

@SubCommand({ name: 'list', description: 'List the agent packages the hub serves, highest version first' })
export class AgentPackageListCommand extends CommandRunner {
  async run(_args: string[], o: { data?: string; json?: boolean }): Promise<void> {
    const list = await withPackages(resolveDataDir(o.data), (p) => p.list());
    if (o.json) {
      process.stdout.write(`${JSON.stringify(list)}\n`);
      return;
    }
    if (list.length === 0) {
      process.stdout.write('No agent package yet: bascule-hub agent-package add bascule-agent_<version>_amd64.deb\n');
      return;
    }
    for (const p of list) {
      process.stdout.write(`${p.version}\t${p.bytes} bytes\tsha256 ${p.sha256}\tadded ${p.addedAt} by ${p.addedBy}\n`);
    }
  }

  @Option({ flags: '--data <dir>', description: 'hub data directory' })
  parseData(v: string) {
    return v;
  }
  @Option({ flags: '--json', description: 'print the list as JSON' })
  parseJson() {
    return true;
  }
}

@Command({
  name: 'agent-package',
  description: 'Agent packages for self-update',
  subCommands: [AgentPackageAddCommand, AgentPackageListCommand],
})
export class AgentPackageCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
