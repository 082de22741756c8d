/** Nest injection tokens: explicit, because the test transforms emit no decorator metadata. */
export const LOGGER = Symbol('Logger');
export const COMMAND_RUNNER = Symbol('CommandRunner');
export const SYSTEM_INFO = Symbol('SystemInfo');
export const MACHINE_IDENTITY = Symbol('MachineIdentityReader');
export const CLOCK = Symbol('Clock');
export const CONSOLE = Symbol('Console');

/** Where a command prints: its result on `out`, diagnostics on `err` (so `--json` stays parseable). */
export interface CliConsole {
  out(text: string): void;
  err(text: string): void;
}
