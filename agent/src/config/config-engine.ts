import { createHash } from 'node:crypto';
import {
  CONFIG_MODULES,
  type ConfigMessage,
  type ConfigModuleName,
  type ModuleReport,
  type ReportMessage,
} from '@bascule/protocol';
import { type IdGenerator, PROTOCOL_VERSION } from '@bascule/protocol/runtime';
import { ZodError } from 'zod';
import type { Logger } from '../logging/logger.js';
import type { Clock } from '../system/clock.js';
import { CommandNotFoundError } from '../system/command-runner.js';
import type { ConfigModule, PlannedStep } from './config-module.js';
import type { AppliedRecords } from './config-store.js';

export interface ConfigEngineDeps {
  /** The explicit list of modules this agent has (module-registry.ts). */
  modules: readonly ConfigModule[];
  applied: { readApplied(): AppliedRecords; writeApplied(records: AppliedRecords): void };
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  agentVersion: string;
}

/** A module's plan as `apply --dry-run` prints it. */
export interface ModulePlan {
  module: ConfigModuleName;
  policyId?: string;
  policyRevision?: number;
  /** `release`: the config no longer names the module; the steps undo what Bascule had put in place. */
  status: 'plan' | 'invalid' | 'failed' | 'release';
  steps: string[];
  error?: string;
}

type Entry = NonNullable<ConfigMessage['modules'][ConfigModuleName]>;

const MAX_ERROR = 2000;
const MAX_DESCRIPTION = 500;

/**
 * Runs every module of a config: validate → observe → plan → apply → verify. Each module runs in its
 * own try/catch, so one failing never stops the others; a step that fails stops its module's remaining
 * steps (reported `skipped`), and the report says what was done.
 */
export class ConfigEngine {
  private readonly modules: ReadonlyMap<ConfigModuleName, ConfigModule>;

  constructor(private readonly deps: ConfigEngineDeps) {
    this.modules = new Map(deps.modules.map((m) => [m.name, m]));
  }

  /** What apply would do, changing nothing. */
  async plan(config: ConfigMessage): Promise<ModulePlan[]> {
    const plans: ModulePlan[] = [];
    for (const [name, entry] of this.entries(config)) {
      const base = { module: name, policyId: entry.policyId, policyRevision: entry.policyRevision };
      const mod = this.modules.get(name);
      if (!mod) {
        plans.push({ ...base, status: 'invalid', steps: [], error: this.unknownModule(name) });
        continue;
      }
      let settings: unknown;
      try {
        settings = mod.parse(entry.settings);
      } catch (err) {
        plans.push({ ...base, status: 'invalid', steps: [], error: invalidSettings(err) });
        continue;
      }
      const secrets = mod.secrets(settings);
      try {
        const steps = mod.plan(settings, await mod.observe(settings));
        plans.push({
          ...base,
          status: 'plan',
          steps: steps.map((s) => clean(s.description, secrets, MAX_DESCRIPTION)),
        });
      } catch (err) {
        plans.push({ ...base, status: 'failed', steps: [], error: clean(describe(err, mod), secrets, MAX_ERROR) });
      }
    }
    for (const mod of this.released(config)) {
      try {
        const steps = mod.release(await mod.observe(undefined));
        plans.push({ module: mod.name, status: 'release', steps: steps.map((s) => s.description) });
      } catch (err) {
        plans.push({ module: mod.name, status: 'failed', steps: [], error: describe(err, mod) });
      }
    }
    return plans;
  }

  /** Applies the config and returns the report to send (validated by the caller). */
  async apply(config: ConfigMessage): Promise<ReportMessage> {
    const modules: ReportMessage['modules'] = {};
    for (const [name, entry] of this.entries(config)) {
      try {
        modules[name] = await this.applyModule(name, entry);
      } catch (err) {
        // applyModule catches the module's own failures; this is a bug of ours, still reported.
        this.deps.logger.error('config: module run failed unexpectedly', { module: name, error: err as Error });
        modules[name] = { ...this.base(entry), status: 'failed', error: String(err).slice(0, MAX_ERROR), steps: [] };
      }
    }
    for (const mod of this.released(config)) await this.release(mod);
    return {
      v: PROTOCOL_VERSION,
      id: this.deps.ids(),
      ts: this.now(),
      revision: config.revision,
      modules,
    };
  }

  private async applyModule(name: ConfigModuleName, entry: Entry): Promise<ModuleReport> {
    const base = this.base(entry);
    const mod = this.modules.get(name);
    if (!mod) return { ...base, status: 'invalid', error: this.unknownModule(name), steps: [] };
    let settings: unknown;
    try {
      settings = mod.parse(entry.settings);
    } catch (err) {
      return { ...base, status: 'invalid', error: invalidSettings(err), steps: [] };
    }
    const secrets = mod.secrets(settings);
    const steps: ModuleReport['steps'] = [];
    let failure: string | undefined;
    let observed: unknown;
    let planned: PlannedStep[] = [];
    try {
      const before = await mod.observe(settings);
      observed = before;
      planned = mod.plan(settings, before);
      for (const step of planned) {
        const description = clean(step.description, secrets, MAX_DESCRIPTION);
        if (failure !== undefined) {
          steps.push({ description, outcome: 'skipped' });
          continue;
        }
        try {
          await step.run();
          steps.push({ description, outcome: 'done' });
        } catch (err) {
          failure = clean(describe(err, mod), secrets, MAX_ERROR);
          steps.push({ description, outcome: 'failed', error: failure });
        }
      }
      if (planned.length > 0) observed = await mod.observe(settings);
      if (failure === undefined) {
        const problems = mod.verify(settings, observed);
        if (problems.length > 0) failure = clean(problems.join('; '), secrets, MAX_ERROR);
      }
    } catch (err) {
      failure = clean(describe(err, mod), secrets, MAX_ERROR);
    }

    const records = this.deps.applied.readApplied();
    const fingerprint = hash(mod.fingerprint(settings));
    const appliedBefore = records[name]?.fingerprint === fingerprint;
    // A failed module keeps its entry (without fingerprint): released later, if the config drops it.
    records[name] = failure === undefined ? { fingerprint, at: this.now() } : { at: this.now() };
    this.deps.applied.writeApplied(records);

    const status = failure !== undefined ? 'failed' : planned.length > 0 && appliedBefore ? 'drift' : 'applied';
    const level = status === 'failed' ? 'error' : status === 'drift' ? 'warn' : 'info';
    this.deps.logger[level]('config: module applied', {
      module: name,
      status,
      steps: steps.length,
      ...(failure !== undefined ? { error: failure } : {}),
    });
    return {
      ...base,
      status,
      ...(failure !== undefined ? { error: failure } : {}),
      steps,
      ...(observed !== undefined ? { observed: mod.reportable(observed) } : {}),
    };
  }

  /** Undoes what a module no longer in the config had put in place; logged (no policy to report to). */
  private async release(mod: ConfigModule): Promise<void> {
    const failures: string[] = [];
    try {
      for (const step of mod.release(await mod.observe(undefined))) {
        try {
          await step.run();
          this.deps.logger.info('config: released', { module: mod.name, step: step.description });
        } catch (err) {
          failures.push(`${step.description}: ${describe(err, mod)}`);
        }
      }
    } catch (err) {
      failures.push(describe(err, mod));
    }
    const records = this.deps.applied.readApplied();
    if (failures.length === 0) {
      delete records[mod.name];
      this.deps.applied.writeApplied(records);
      return;
    }
    // Kept in applied.json: the next run tries again.
    this.deps.logger.error('config: could not undo a module no longer configured', { module: mod.name, failures });
  }

  /** Modules that had been applied and that the config no longer names. */
  private released(config: ConfigMessage): ConfigModule[] {
    const records = this.deps.applied.readApplied();
    return [...this.modules.values()].filter((m) => records[m.name] && !config.modules[m.name]);
  }

  private entries(config: ConfigMessage): Array<[ConfigModuleName, Entry]> {
    return CONFIG_MODULES.flatMap((name) => {
      const entry = config.modules[name];
      return entry ? [[name, entry] as [ConfigModuleName, Entry]] : [];
    });
  }

  private base(entry: Entry) {
    return { policyId: entry.policyId, policyRevision: entry.policyRevision, at: this.now() };
  }

  private now(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  private unknownModule(name: ConfigModuleName): string {
    return `this agent (version ${this.deps.agentVersion}) has no ${name} module; update the agent`;
  }
}

function invalidSettings(err: unknown): string {
  if (!(err instanceof ZodError)) return String(err).slice(0, MAX_ERROR);
  return err.issues
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'settings'}: ${i.message}`)
    .join('; ')
    .slice(0, MAX_ERROR);
}

/** A failure as a person can act on it: a missing tool names the Debian package that has it. */
export function describe(err: unknown, mod: Pick<ConfigModule, 'tools'>): string {
  if (err instanceof CommandNotFoundError) {
    const bin = err.message.split(' ')[0] ?? '';
    const tool = bin.split('/').pop() ?? bin;
    const pkg = mod.tools[tool];
    return pkg
      ? `${tool} is not installed: install the Debian package ${pkg} (Bascule installs nothing by itself)`
      : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

function clean(text: string, secrets: string[], max: number): string {
  let out = text;
  for (const s of secrets) if (s) out = out.replaceAll(s, '[secret]');
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
