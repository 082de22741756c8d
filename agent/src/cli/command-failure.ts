import { EnrollError } from '../enroll/enroll-error.js';
import { StateError } from '../state/state-error.js';
import type { CliConsole } from './tokens.js';

/**
 * Prints why a command failed and sets a non-zero exit code. Known failures get their message alone
 * (a person can act on it); anything unexpected keeps its stack for a bug report.
 */
export function reportFailure(console: CliConsole, command: string, err: unknown): void {
  const known = err instanceof EnrollError || err instanceof StateError;
  const text = err instanceof Error ? (known ? err.message : (err.stack ?? err.message)) : String(err);
  console.err(`bascule-agent ${command}: ${text}\n`);
  process.exitCode = known ? 1 : 70;
}
