import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli/cli.module.js';
import { ApiError } from './http/http-errors.js';

/** `bascule-hub <command>`: every command is scriptable (flags and stdin, no prompts). */
async function main(): Promise<void> {
  await CommandFactory.run(CliModule, {
    logger: ['error', 'warn'],
    errorHandler: (err) => {
      fail(err);
    },
    serviceErrorHandler: (err) => {
      fail(err);
    },
  });
}

function fail(err: unknown): never {
  const message =
    err instanceof ApiError ? String((err.getResponse() as { message?: string }).message) : (err as Error).message;
  process.stderr.write(`bascule-hub: ${message}\n`);
  process.exit(1);
}

main().catch(fail);
