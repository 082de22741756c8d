import { CommandNotFoundError, type CommandRunner } from '../system/command-runner.js';

/** stdout of a command that must succeed; a non-zero exit throws with its stderr. */
export async function output(runner: CommandRunner, bin: string, args: string[], timeout: number): Promise<string> {
  const result = await runner.run(bin, args, { timeout });
  if (result.exitCode !== 0) {
    const detail = (result.stderr.trim() || result.stdout.trim()).slice(0, 300);
    throw new Error(`${bin} ${args[0] ?? ''} exited with ${result.exitCode}: ${detail}`.replace(/ +:/, ':'));
  }
  return result.stdout;
}

/** Like output(), but undefined when the tool is not installed: an optional source (snap, mmcli, smartctl). */
export async function optionalOutput(
  runner: CommandRunner,
  bin: string,
  args: string[],
  timeout: number,
): Promise<string | undefined> {
  try {
    return await output(runner, bin, args, timeout);
  } catch (err) {
    if (err instanceof CommandNotFoundError) return undefined;
    throw err;
  }
}
