import { encodePayload } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFixture, printers } from '../config-publisher/config-test-support.js';

type Fixture = Awaited<ReturnType<typeof configFixture>>;

describe('report ingest and compliance', () => {
  let f: Fixture;
  let d: string;
  let policyId: string;
  beforeEach(async () => {
    f = await configFixture();
    d = await f.device();
    await f.device();
    const p = await f.cfg.policies.create({ name: 'Printers', module: 'printers', document: printers('A') }, 'a');
    policyId = p.id;
    await f.cfg.policies.setAssignments(policyId, [{ kind: 'everyone' }], 'a');
  });
  afterEach(() => f.close());

  const reportMsg = (
    revision: number,
    policyRevision: number,
    status: string,
    extra: Record<string, unknown> = {},
  ) => ({
    v: 1,
    id: f.s.ids(),
    ts: f.clock.now().toISOString(),
    revision,
    modules: {
      printers: {
        policyId,
        policyRevision,
        status,
        steps: [{ description: 'create queue A', outcome: status === 'failed' ? 'failed' : 'done' }],
        observed: { queues: ['A'] },
        at: f.clock.now().toISOString(),
        ...extra,
      },
    },
  });

  it('stores the state of each module, once per message, and counts it per policy and per device', async () => {
    const rev = f.lastConfig(d)?.revision as number;
    const msg = encodePayload(reportMsg(rev, 1, 'failed', { error: 'lpadmin: Bad device-uri' }));
    expect(await f.ingest.ingest(d, 'report', msg)).toBe('stored');
    expect(await f.ingest.ingest(d, 'report', msg)).toBe('duplicate');
    expect(await f.cfg.compliance.device(d)).toMatchObject({
      configRevision: rev,
      modules: [
        {
          module: 'printers',
          policyName: 'Printers',
          status: 'failed',
          error: 'lpadmin: Bad device-uri',
          steps: [{ description: 'create queue A', outcome: 'failed' }],
          observed: { queues: ['A'] },
        },
      ],
    });
    expect(await f.cfg.compliance.byPolicy()).toEqual([
      expect.objectContaining({ name: 'Printers', devices: 2, failed: 1, pending: 1, applied: 0 }),
    ]);
  });

  it('counts a report for an older policy revision as pending, and never lets a late report overwrite a newer one', async () => {
    const rev1 = f.lastConfig(d)?.revision as number;
    await f.cfg.policies.update(policyId, { document: printers('B') }, 'a');
    const rev2 = f.lastConfig(d)?.revision as number;
    await f.ingest.ingest(d, 'report', encodePayload(reportMsg(rev1, 1, 'applied')));
    expect((await f.cfg.compliance.device(d)).modules[0]).toMatchObject({ status: 'pending', reportedRevision: 1 });
    await f.ingest.ingest(d, 'report', encodePayload(reportMsg(rev2, 2, 'applied')));
    await f.ingest.ingest(d, 'report', encodePayload(reportMsg(rev1, 1, 'failed', { error: 'late' })));
    expect((await f.cfg.compliance.device(d)).modules[0]).toMatchObject({ status: 'applied', policyRevision: 2 });
  });

  it('records a refused config as invalid for every module it held', async () => {
    const rev = f.lastConfig(d)?.revision as number;
    const msg = {
      v: 1,
      id: f.s.ids(),
      ts: f.clock.now().toISOString(),
      revision: rev,
      refused: 'modules.printers: bad',
      modules: {},
    };
    expect(await f.ingest.ingest(d, 'report', encodePayload(msg))).toBe('stored');
    const c = await f.cfg.compliance.device(d);
    expect(c.refused).toBe('modules.printers: bad');
    expect(c.modules[0]).toMatchObject({
      status: 'invalid',
      error: expect.stringMatching(/refused the whole configuration/),
    });
  });

  it('refuses a report that does not match the schema without storing anything', async () => {
    const bad = reportMsg(1, 1, 'exploded');
    expect(await f.ingest.ingest(d, 'report', encodePayload(bad))).toBe('rejected');
    expect((await f.cfg.compliance.device(d)).modules[0]?.status).toBe('pending');
  });
});
