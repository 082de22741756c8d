import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMessage, ConfigModuleName } from '@bascule/protocol';
import { reportMessageSchema } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Logger } from '../logging/logger.js';
import { CommandNotFoundError } from '../system/command-runner.js';
import { StateDirectory } from '../system/state-directory.js';
import { ConfigEngine } from './config-engine.js';
import type { ConfigModule, PlannedStep } from './config-module.js';
import { ConfigStore } from './config-store.js';

const logger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const clock = { now: () => Date.parse('2026-11-25T10:00:00Z'), setTimeout: () => 0, clearTimeout: () => {} };
let n = 0;
const ids = () => `01JE${String(++n).padStart(22, '0')}`;

const settingsSchema = z.object({ want: z.array(z.string()), secret: z.string().optional() });
type Settings = z.infer<typeof settingsSchema>;

/**
 * A module over an in-memory "machine" (a set of strings): each wanted item missing is one step.
 * `failOn` makes adding that item throw; `missingTool` makes observe fail as if the tool were absent.
 */
class SetModule implements ConfigModule<Settings, { have: string[] }> {
  readonly tools = { settool: 'set-tools' };
  failOn: string | undefined;
  missingTool = false;
  stepsRun = 0;

  constructor(
    readonly name: ConfigModuleName,
    readonly machine: Set<string> = new Set(),
  ) {}

  parse(settings: unknown): Settings {
    return settingsSchema.parse(settings);
  }
  async observe(): Promise<{ have: string[] }> {
    if (this.missingTool) throw new CommandNotFoundError('settool is not installed');
    return { have: [...this.machine].sort() };
  }
  plan(s: Settings, o: { have: string[] }): PlannedStep[] {
    return s.want
      .filter((w) => !o.have.includes(w))
      .map((w) => ({
        description: `add ${w}${s.secret ? ` using ${s.secret}` : ''}`,
        run: async () => {
          this.stepsRun++;
          if (w === this.failOn) throw new Error(`cannot add ${w} (secret ${s.secret ?? '-'})`);
          this.machine.add(w);
        },
      }));
  }
  verify(s: Settings, o: { have: string[] }): string[] {
    return s.want.filter((w) => !o.have.includes(w)).map((w) => `${w} is missing`);
  }
  release(o: { have: string[] }): PlannedStep[] {
    return o.have.map((h) => ({ description: `remove ${h}`, run: async () => void this.machine.delete(h) }));
  }
  reportable(o: { have: string[] }): unknown {
    return o;
  }
  secrets(s: Settings): string[] {
    return s.secret ? [s.secret] : [];
  }
  fingerprint(s: Settings): unknown {
    return s.want;
  }
}

function config(revision: number, modules: Partial<Record<ConfigModuleName, unknown>>): ConfigMessage {
  return {
    v: 1,
    id: ids(),
    ts: '2026-11-25T10:00:00.000Z',
    revision,
    agent: {},
    modules: Object.fromEntries(
      Object.entries(modules).map(([name, settings]) => [
        name,
        { policyId: `pol-${name}`, policyRevision: 1, settings },
      ]),
    ),
  };
}

describe('ConfigEngine', () => {
  let dir: string;
  let store: ConfigStore;
  let printers: SetModule;
  let ad: SetModule;
  let engine: ConfigEngine;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'config-engine-'));
    store = new ConfigStore(new StateDirectory(dir));
    printers = new SetModule('printers');
    ad = new SetModule('ad-join');
    engine = new ConfigEngine({ modules: [ad, printers], applied: store, clock, ids, logger, agentVersion: '0.1.0' });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('applies, verifies, and changes nothing the second time (empty plan, same report)', async () => {
    const first = await engine.apply(config(1, { printers: { want: ['a', 'b'] } }));
    expect(reportMessageSchema.parse(first).modules.printers).toMatchObject({
      policyId: 'pol-printers',
      status: 'applied',
      steps: [
        { description: 'add a', outcome: 'done' },
        { description: 'add b', outcome: 'done' },
      ],
      observed: { have: ['a', 'b'] },
    });
    const second = await engine.apply(config(1, { printers: { want: ['a', 'b'] } }));
    expect(second.modules.printers).toMatchObject({ status: 'applied', steps: [] });
    expect(printers.stepsRun).toBe(2);
    expect(await engine.plan(config(1, { printers: { want: ['a', 'b'] } }))).toEqual([
      { module: 'printers', policyId: 'pol-printers', policyRevision: 1, status: 'plan', steps: [] },
    ]);
  });

  it('reports drift when the machine moved away from settings it had applied, and re-applies', async () => {
    await engine.apply(config(1, { printers: { want: ['a'] } }));
    printers.machine.delete('a');
    const r = await engine.apply(config(1, { printers: { want: ['a'] } }));
    expect(r.modules.printers).toMatchObject({ status: 'drift', steps: [{ description: 'add a', outcome: 'done' }] });
    expect(printers.machine.has('a')).toBe(true);
    // New settings are not drift.
    const r2 = await engine.apply(config(2, { printers: { want: ['a', 'c'] } }));
    expect(r2.modules.printers?.status).toBe('applied');
  });

  it('reports a half-applied change as failed with what was done, failed and skipped', async () => {
    printers.failOn = 'b';
    const r = await engine.apply(config(1, { printers: { want: ['a', 'b', 'c'] } }));
    expect(r.modules.printers).toMatchObject({
      status: 'failed',
      error: 'cannot add b (secret -)',
      steps: [
        { description: 'add a', outcome: 'done' },
        { description: 'add b', outcome: 'failed', error: 'cannot add b (secret -)' },
        { description: 'add c', outcome: 'skipped' },
      ],
      observed: { have: ['a'] },
    });
    // After a failure the next run is a retry, not drift.
    printers.failOn = undefined;
    const again = await engine.apply(config(1, { printers: { want: ['a', 'b', 'c'] } }));
    expect(again.modules.printers?.status).toBe('applied');
  });

  it('never lets one failing module stop the others', async () => {
    ad.failOn = 'x';
    const r = await engine.apply(config(1, { 'ad-join': { want: ['x'] }, printers: { want: ['a'] } }));
    expect(r.modules['ad-join']?.status).toBe('failed');
    expect(r.modules.printers?.status).toBe('applied');
  });

  it('names the Debian package of a missing tool and installs nothing', async () => {
    printers.missingTool = true;
    const r = await engine.apply(config(1, { printers: { want: ['a'] }, 'ad-join': { want: ['x'] } }));
    expect(r.modules.printers).toMatchObject({
      status: 'failed',
      error: 'settool is not installed: install the Debian package set-tools (Bascule installs nothing by itself)',
      steps: [],
    });
    expect(printers.stepsRun).toBe(0);
    expect(r.modules['ad-join']?.status).toBe('applied');
  });

  it('refuses invalid settings with the field and keeps the machine as it is', async () => {
    await engine.apply(config(1, { printers: { want: ['a'] } }));
    const r = await engine.apply(config(2, { printers: { want: 'a' } }));
    expect(r.modules.printers).toMatchObject({ status: 'invalid', steps: [] });
    expect(r.modules.printers?.error).toMatch(/^want: /);
    expect(printers.machine).toEqual(new Set(['a']));
  });

  it('reports a module this agent does not have as invalid', async () => {
    const r = await engine.apply(config(1, { antivirus: { on: true } }));
    expect(r.modules.antivirus).toMatchObject({
      status: 'invalid',
      error: expect.stringMatching(/has no antivirus module/),
    });
  });

  it('keeps secrets out of steps and errors', async () => {
    printers.failOn = 'a';
    const r = await engine.apply(config(1, { printers: { want: ['a'], secret: 'OTP-s3cr3t' } }));
    expect(JSON.stringify(r)).not.toContain('OTP-s3cr3t');
    expect(r.modules.printers?.steps[0]).toMatchObject({
      description: 'add a using [secret]',
      error: 'cannot add a (secret [secret])',
    });
    const plan = await engine.plan(config(1, { printers: { want: ['b'], secret: 'OTP-s3cr3t' } }));
    expect(JSON.stringify(plan)).not.toContain('OTP-s3cr3t');
  });

  it('undoes what a module put in place once the config no longer names it, and only then', async () => {
    await engine.apply(config(1, { printers: { want: ['a'] } }));
    expect((await engine.plan(config(2, {}))).at(0)).toMatchObject({
      module: 'printers',
      status: 'release',
      steps: ['remove a'],
    });
    const r = await engine.apply(config(2, {}));
    expect(r.modules).toEqual({});
    expect(printers.machine.size).toBe(0);
    // A module never applied here is left alone.
    ad.machine.add('users-own');
    await engine.apply(config(3, {}));
    expect(ad.machine.has('users-own')).toBe(true);
  });
});
