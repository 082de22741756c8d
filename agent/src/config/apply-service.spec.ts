import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../logging/logger.js';
import { StateDirectory } from '../system/state-directory.js';
import { ApplyService, formatPlan } from './apply-service.js';
import { ConfigEngine } from './config-engine.js';
import { ConfigStore } from './config-store.js';

const logger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const clock = { now: () => Date.parse('2026-11-25T10:00:00Z'), setTimeout: () => 0, clearTimeout: () => {} };
let n = 0;
const ids = () => `01JE${String(++n).padStart(22, '0')}`;
const message = (revision: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ v: 1, id: ids(), ts: '2026-11-25T10:00:00Z', revision, modules: {}, ...extra });

describe('ApplyService', () => {
  let dir: string;
  let store: ConfigStore;
  let service: ApplyService;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'apply-service-'));
    store = new ConfigStore(new StateDirectory(dir));
    const engine = new ConfigEngine({ modules: [], applied: store, clock, ids, logger, agentVersion: '0.1.0' });
    service = new ApplyService({ store, engine, clock, ids });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('says so when there is no config yet', async () => {
    expect(await service.run({ kind: 'pending' }, false)).toMatchObject({ kind: 'nothing' });
  });

  it('applies the pending config and keeps it as the last good one', async () => {
    store.writePending(message(3));
    const out = await service.run({ kind: 'pending' }, false);
    expect(out).toMatchObject({ kind: 'report', report: { revision: 3, modules: {} } });
    expect(JSON.parse(store.readLastGood()?.toString() ?? '{}').revision).toBe(3);
  });

  it('refuses an invalid config with the reason, applies nothing and keeps the last good one', async () => {
    store.writePending(message(3));
    await service.run({ kind: 'pending' }, false);
    store.writePending(message(4, { modules: { printers: 'not an object' } }));
    const out = await service.run({ kind: 'pending' }, false);
    expect(out).toMatchObject({ kind: 'report', report: { revision: 4, modules: {} } });
    if (out.kind !== 'report') throw new Error('expected a report');
    expect(out.report.refused).toMatch(/^config refused, the last good one is kept: modules\.printers: /);
    expect(JSON.parse(store.readLastGood()?.toString() ?? '{}').revision).toBe(3);
    // The periodic run after a refusal applies the last good one.
    expect(await service.run({ kind: 'last-good' }, false)).toMatchObject({ kind: 'report', report: { revision: 3 } });
  });

  it('refuses what is not JSON', async () => {
    const out = await service.run({ kind: 'file', raw: Buffer.from('{nope'), name: 'x.json' }, false);
    expect(out).toMatchObject({ kind: 'report', report: { revision: 0, refused: expect.stringMatching(/not JSON/) } });
  });

  it('plans without storing anything on --dry-run', async () => {
    const out = await service.run({ kind: 'file', raw: Buffer.from(message(7)), name: 'x.json' }, true);
    expect(out).toEqual({ kind: 'plan', revision: 7, plans: [] });
    expect(store.readLastGood()).toBeNull();
  });
});

describe('formatPlan', () => {
  it('prints numbered steps per module, and what has nothing to do', () => {
    expect(
      formatPlan(5, [
        {
          module: 'printers',
          policyId: 'p1',
          policyRevision: 2,
          status: 'plan',
          steps: ['create queue A: IPP Everywhere driver, ipp://a/ipp/print', 'make A the default printer'],
        },
        { module: 'ad-join', policyId: 'p2', policyRevision: 1, status: 'plan', steps: [] },
        { module: 'antivirus', policyId: 'p3', policyRevision: 1, status: 'invalid', steps: [], error: 'no module' },
      ]),
    ).toBe(
      [
        'config revision 5',
        'printers (policy p1, revision 2): 2 steps',
        '  1. create queue A: IPP Everywhere driver, ipp://a/ipp/print',
        '  2. make A the default printer',
        'ad-join (policy p2, revision 1): nothing to do',
        'antivirus (policy p3, revision 1): invalid settings: no module',
        '',
      ].join('\n'),
    );
  });
});
