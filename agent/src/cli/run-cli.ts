import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { AGENT_VERSION } from '../version.js';
import { CliModule } from './cli.module.js';

export async function runCli(): Promise<void> {
  await CommandFactory.run(CliModule, {
    logger: false,
    cliName: 'bascule-agent',
    version: AGENT_VERSION,
    serviceErrorHandler: (err) => {
      process.stderr.write(`bascule-agent: ${err.message}\n`);
      process.exitCode = 1;
    },
  });
}
