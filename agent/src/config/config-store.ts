import type { ConfigModuleName } from '@bascule/protocol';
import type { StateDirectory } from '../system/state-directory.js';
import type { ModuleRecords } from './config-module.js';

const DIR = 'config';
const PENDING = `${DIR}/pending.json`;
const LAST_GOOD = `${DIR}/last-good.json`;
const APPLIED = `${DIR}/applied.json`;

/**
 * The modules this agent has applied, by name: the fingerprint of the settings last applied
 * successfully (absent after a failure). A module with an entry that the config no longer names is
 * released (what it put in place is undone).
 */
export type AppliedRecords = Partial<Record<ConfigModuleName, { fingerprint?: string; at: string }>>;

/**
 * The configuration files in the agent's state directory: `pending.json` is the last config received
 * from the hub (envelope checked by the daemon, the rest by `apply`), `last-good.json` the last one that
 * passed validation, `applied.json` what each module last applied, and the modules' own records (the
 * queues Bascule manages…). Every write is atomic. No zod here: the daemon uses this file too.
 */
export class ConfigStore implements ModuleRecords {
  constructor(private readonly dir: StateDirectory) {}

  /** The state directory's path of the pending config (for messages). */
  get pendingPath(): string {
    return this.dir.path(PENDING);
  }

  readPending(): Buffer | null {
    return this.dir.read(PENDING);
  }

  writePending(raw: Buffer | string): void {
    this.dir.ensure(DIR);
    this.dir.writeAtomic(PENDING, raw);
  }

  readLastGood(): Buffer | null {
    return this.dir.read(LAST_GOOD);
  }

  writeLastGood(raw: Buffer | string): void {
    this.dir.ensure(DIR);
    this.dir.writeAtomic(LAST_GOOD, raw);
  }

  readApplied(): AppliedRecords {
    const raw = this.dir.read(APPLIED);
    if (!raw) return {};
    try {
      return JSON.parse(raw.toString('utf8')) as AppliedRecords;
    } catch {
      // A damaged record only costs a drift report being called "applied" once.
      return {};
    }
  }

  writeApplied(records: AppliedRecords): void {
    this.dir.ensure(DIR);
    this.dir.writeAtomic(APPLIED, `${JSON.stringify(records, null, 2)}\n`);
  }

  read<T>(module: ConfigModuleName, name: string): T | null {
    const raw = this.dir.read(`${DIR}/${module}-${name}.json`);
    return raw ? (JSON.parse(raw.toString('utf8')) as T) : null;
  }

  write(module: ConfigModuleName, name: string, value: unknown): void {
    this.dir.ensure(DIR);
    this.dir.writeAtomic(`${DIR}/${module}-${name}.json`, `${JSON.stringify(value, null, 2)}\n`);
  }
}
