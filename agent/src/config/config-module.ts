import type { ConfigModuleName } from '@bascule/protocol';

/** One step of a plan: what a person reads, and the change itself. */
export interface PlannedStep {
  /** "create queue Accueil (IPP Everywhere driver from ipp://…)"; never a secret. */
  readonly description: string;
  /** Makes the change; throws with a message a person can act on. */
  run(): Promise<void>;
}

/**
 * A configuration module: validate → observe → plan → apply (the engine runs the steps) → verify.
 * `plan` is pure: the same settings against a machine that already matches give no step, which is what
 * makes a second apply change nothing. Modules do no I/O themselves: they take the command runner and
 * the files adapter injected (agent/src/system/).
 */
export interface ConfigModule<S = unknown, O = unknown> {
  readonly name: ConfigModuleName;
  /** The Debian package of each tool the module runs, named in the failure when the tool is missing. */
  readonly tools: Readonly<Record<string, string>>;
  /** Validates and fills in defaults; throws a ZodError (reported as `invalid`). */
  parse(settings: unknown): S;
  /** What the machine looks like now, as far as these settings (or the module's own records) go. */
  observe(settings: S | undefined): Promise<O>;
  plan(settings: S, observed: O): PlannedStep[];
  /** Where the machine still differs from the settings after the steps ran; empty when it matches. */
  verify(settings: S, observed: O): string[];
  /** Steps that undo what the module itself put in place, once the config no longer names it. */
  release(observed: O): PlannedStep[];
  /** The observed state as put in the report: no secret in it. */
  reportable(observed: O): unknown;
  /** Values that must never appear in a report or a log (the one-time password). */
  secrets(settings: S): string[];
  /** What identifies this input for drift detection (without one-shot values such as a password). */
  fingerprint(settings: S): unknown;
}

/** Reads and writes a module's own records in the agent's state directory (managed queues, …). */
export interface ModuleRecords {
  read<T>(module: ConfigModuleName, name: string): T | null;
  write(module: ConfigModuleName, name: string, value: unknown): void;
}

/** Waits (polling a printer's driver); injected so that tests do not wait. */
export type Wait = (ms: number) => Promise<void>;
