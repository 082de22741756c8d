import { type ConfigMessage, configMessageSchema, type ReportMessage, reportMessageSchema } from '@bascule/protocol';
import { type IdGenerator, PROTOCOL_VERSION } from '@bascule/protocol/runtime';
import type { Clock } from '../system/clock.js';
import type { ConfigEngine, ModulePlan } from './config-engine.js';
import type { ConfigStore } from './config-store.js';

/** Which config `apply` works on. */
export type ConfigSource =
  /** The last config received from the hub (what the daemon stored). */
  | { kind: 'pending' }
  /** The last config that passed validation (the daemon's periodic run after a refusal). */
  | { kind: 'last-good' }
  /** A file given on the command line (tests, or IT trying a config by hand). */
  | { kind: 'file'; raw: Buffer; name: string };

export type ApplyOutcome =
  | { kind: 'report'; report: ReportMessage }
  | { kind: 'plan'; revision: number; plans: ModulePlan[] }
  | { kind: 'nothing'; reason: string };

export interface ApplyServiceDeps {
  store: ConfigStore;
  engine: ConfigEngine;
  clock: Clock;
  ids: IdGenerator;
}

/**
 * `bascule-agent apply`: validates the config (zod; this runs in a child process, never in the daemon),
 * keeps it as the last good one, applies it or plans it. A config that fails validation is refused: the
 * report says why and nothing is applied; the last good config stays.
 */
export class ApplyService {
  constructor(private readonly deps: ApplyServiceDeps) {}

  async run(source: ConfigSource, dryRun: boolean): Promise<ApplyOutcome> {
    const raw = this.read(source);
    if (raw === null) {
      return {
        kind: 'nothing',
        reason:
          source.kind === 'last-good'
            ? 'no valid config has been received yet'
            : `no config yet (${this.deps.store.pendingPath}): the hub has not sent one`,
      };
    }
    const parsed = this.validate(raw);
    if ('refused' in parsed) {
      const report: ReportMessage = {
        v: PROTOCOL_VERSION,
        id: this.deps.ids(),
        ts: new Date(this.deps.clock.now()).toISOString(),
        revision: parsed.revision,
        refused: parsed.refused,
        modules: {},
      };
      return { kind: 'report', report };
    }
    const config = parsed.config;
    if (dryRun) return { kind: 'plan', revision: config.revision, plans: await this.deps.engine.plan(config) };
    // Only what the hub sent becomes the last good config (not a file tried by hand with --config).
    if (source.kind === 'pending') this.deps.store.writeLastGood(raw);
    const report = await this.deps.engine.apply(config);
    // The hub would refuse a report outside the contract: better an error here, in the agent's log.
    return { kind: 'report', report: reportMessageSchema.parse(report) };
  }

  private read(source: ConfigSource): Buffer | null {
    switch (source.kind) {
      case 'pending':
        return this.deps.store.readPending();
      case 'last-good':
        return this.deps.store.readLastGood();
      case 'file':
        return source.raw;
    }
  }

  private validate(raw: Buffer): { config: ConfigMessage } | { refused: string; revision: number } {
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      return { refused: `config is not JSON: ${(err as Error).message}`.slice(0, 2000), revision: 0 };
    }
    const result = configMessageSchema.safeParse(json);
    if (result.success) return { config: result.data };
    const revision = (json as { revision?: unknown } | null)?.revision;
    const issues = result.error.issues
      .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'config'}: ${i.message}`)
      .join('; ');
    return {
      refused: `config refused, the last good one is kept: ${issues}`.slice(0, 2000),
      revision: typeof revision === 'number' && Number.isInteger(revision) && revision >= 0 ? revision : 0,
    };
  }
}

/** The plan as a person reads it (`apply --dry-run`). */
export function formatPlan(revision: number, plans: ModulePlan[]): string {
  const lines = [`config revision ${revision}`];
  if (plans.length === 0) lines.push('no module configured');
  for (const p of plans) {
    const policy = p.policyId ? ` (policy ${p.policyId}, revision ${p.policyRevision})` : '';
    if (p.status === 'invalid' || p.status === 'failed') {
      lines.push(`${p.module}${policy}: ${p.status === 'invalid' ? 'invalid settings' : 'cannot plan'}: ${p.error}`);
      continue;
    }
    const head = p.status === 'release' ? `${p.module}: no longer configured` : `${p.module}${policy}`;
    if (p.steps.length === 0) {
      lines.push(`${head}: nothing to do`);
      continue;
    }
    lines.push(`${head}: ${p.steps.length} step${p.steps.length > 1 ? 's' : ''}`);
    p.steps.forEach((s, i) => {
      lines.push(`  ${i + 1}. ${s}`);
    });
  }
  return `${lines.join('\n')}\n`;
}

/** A report as a person reads it (`apply` without --json). */
export function formatReport(report: ReportMessage): string {
  const lines = [`config revision ${report.revision}`];
  if (report.refused) lines.push(`refused: ${report.refused}`);
  for (const [name, m] of Object.entries(report.modules)) {
    if (!m) continue;
    lines.push(`${name}: ${m.status}${m.error ? `: ${m.error}` : ''}`);
    for (const s of m.steps) lines.push(`  [${s.outcome}] ${s.description}${s.error ? `: ${s.error}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
