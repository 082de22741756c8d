import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFixture, printers } from '../config-publisher/config-test-support.js';
import { assignRings, waveBucket } from './ring-plan.js';

type Fixture = Awaited<ReturnType<typeof configFixture>>;
const MINUTE = 60_000;

describe('ring plan', () => {
  it('chooses wave devices deterministically from the rollout and device ids, growing wave by wave', () => {
    const devices = Array.from({ length: 1000 }, (_, i) => `DEV${String(i).padStart(5, '0')}`);
    const rings = [
      { kind: 'percent' as const, percent: 10 },
      { kind: 'percent' as const, percent: 50 },
      { kind: 'percent' as const, percent: 100 },
    ];
    const a = assignRings('R1', rings, devices, () => new Set());
    expect(assignRings('R1', rings, [...devices].reverse(), () => new Set())).toEqual(a);
    const first = devices.filter((d) => a.get(d) === 0).length;
    const upToSecond = devices.filter((d) => (a.get(d) ?? 9) <= 1).length;
    expect(first).toBeGreaterThan(70);
    expect(first).toBeLessThan(130);
    expect(upToSecond).toBeGreaterThan(440);
    expect(upToSecond).toBeLessThan(560);
    expect([...a.values()].every((r) => r <= 2)).toBe(true);
    // Another rollout starts with other devices.
    const b = assignRings('R2', rings, devices, () => new Set());
    const overlap = devices.filter((d) => a.get(d) === 0 && b.get(d) === 0).length;
    expect(overlap).toBeLessThan(first / 2);
    expect(waveBucket('R1', 'DEV00001')).toBe(waveBucket('R1', 'DEV00001'));
  });
});

describe('RolloutService', () => {
  let f: Fixture;
  let fleet: string[];
  let canary: string[];
  let beta: string[];
  let policyId: string;

  const revisionOf = (d: string) => f.lastConfig(d)?.modules.printers?.policyRevision;
  const onRevision = (rev: number) => fleet.filter((d) => revisionOf(d) === rev).length;
  /** Every device that has revision 2 reports it applied (what real agents do within seconds). */
  const applyReached = async () => {
    for (const d of fleet) if (revisionOf(d) === 2) await f.report(d, 'applied');
  };

  beforeEach(async () => {
    f = await configFixture();
    fleet = [];
    for (let i = 0; i < 40; i++) fleet.push(await f.device(i % 2 ? 'Finances' : 'Urbanisme'));
    canary = fleet.slice(0, 2);
    beta = fleet.slice(2, 6);
    const c = await f.cfg.groups.create({ name: 'IT canary' }, 'admin');
    await f.cfg.groups.addMembers(c.id, canary, 'admin');
    const b = await f.cfg.groups.create({ name: 'beta testers' }, 'admin');
    await f.cfg.groups.addMembers(b.id, beta, 'admin');
    const p = await f.cfg.policies.create({ name: 'Printers', module: 'printers', document: printers('v1') }, 'admin');
    policyId = p.id;
    await f.cfg.policies.setAssignments(policyId, [{ kind: 'everyone' }], 'admin');
    await f.cfg.policies.update(policyId, { document: printers('v2'), deploy: false }, 'admin');
  });
  afterEach(() => f.close());

  const start = (plan: Record<string, unknown> = {}) =>
    f.cfg.rollouts.create(
      {
        policyId,
        revision: 2,
        plan: {
          rings: [
            { kind: 'group', group: 'IT canary' },
            { kind: 'group', group: 'beta testers' },
            { kind: 'percent', percent: 25 },
            { kind: 'percent', percent: 100 },
          ],
          soakMinutes: 30,
          maxFailureRate: 0.3,
          ...plan,
        },
      },
      'admin',
    );

  it('keeps a saved-but-not-deployed revision away from every device', () => {
    expect(onRevision(1)).toBe(40);
  });

  it('evaluates after a report without recomputing the fleet; the timer and a pending full tick still do', async () => {
    let recomputes = 0;
    const recompute = f.cfg.configs.recompute.bind(f.cfg.configs);
    f.cfg.configs.recompute = () => {
      recomputes++;
      return recompute();
    };
    await f.report(fleet[0] as string, 'applied'); // a report: progress only
    await f.cfg.rollouts.idle();
    expect(recomputes).toBe(0);
    f.cfg.rollouts.requestTick(false);
    f.cfg.rollouts.requestTick(false); // while the first runs: shares the next one
    f.cfg.rollouts.requestTick(); // the timer's, coalesced with them: the next one recomputes
    await f.cfg.rollouts.idle();
    expect(recomputes).toBe(1);
  });

  it('reaches the canary ring first, advances after the soak time, and completes at 100 %', async () => {
    const r = await start();
    expect(r.rings.map((x) => x.devices)).toEqual([2, 4, expect.any(Number), expect.any(Number)]);
    expect(canary.map(revisionOf)).toEqual([2, 2]);
    expect(onRevision(2)).toBe(2);

    for (const d of canary) await f.report(d, 'applied');
    f.clock.advance(29 * MINUTE);
    await f.cfg.rollouts.tick();
    expect((await f.cfg.rollouts.get(r.id)).currentRing).toBe(0);
    f.clock.advance(2 * MINUTE);
    await f.cfg.rollouts.tick();
    const second = await f.cfg.rollouts.get(r.id);
    expect(second.currentRing).toBe(1);
    expect(second.rings[0]).toMatchObject({ reached: true, devices: 2, applied: 2, failed: 0 });
    expect(onRevision(2)).toBe(6);
    // Devices outside the reached rings keep the previous revision.
    expect(fleet.slice(6).every((d) => revisionOf(d) === 1)).toBe(true);

    // Soaked, but a connected device of the ring has not reported yet: the ring is not judged.
    f.clock.advance(31 * MINUTE);
    await f.cfg.rollouts.tick();
    expect((await f.cfg.rollouts.get(r.id)).rings[1]).toMatchObject({ pending: 4, pendingOnline: 4 });
    expect((await f.cfg.rollouts.get(r.id)).currentRing).toBe(1);
    await applyReached();
    await f.cfg.rollouts.tick();
    const third = await f.cfg.rollouts.get(r.id);
    expect(third.currentRing).toBe(2);
    expect(onRevision(2)).toBe(6 + (third.rings[2]?.devices ?? 0));
    await applyReached();
    f.clock.advance(31 * MINUTE);
    await f.cfg.rollouts.tick();
    expect(onRevision(2)).toBe(40);
    await applyReached();
    f.clock.advance(31 * MINUTE);
    await f.cfg.rollouts.tick();
    expect((await f.cfg.rollouts.get(r.id)).state).toBe('completed');
    expect((await f.cfg.policies.get(policyId)).deployedRevision).toBe(2);
  });

  it('halts by itself when a reached ring crosses the failure threshold, with the failures and their errors', async () => {
    const r = await start();
    await f.report(canary[0] as string, 'failed', 'lpadmin: Unable to connect to printer');
    const halted = await f.cfg.rollouts.get(r.id);
    expect(halted.state).toBe('halted');
    expect(halted.reason).toMatch(/ring 1 \(group IT canary\): 1 of 2 devices failed/);
    expect(halted.failures).toEqual([
      expect.objectContaining({
        deviceId: canary[0],
        status: 'failed',
        error: 'lpadmin: Unable to connect to printer',
      }),
    ]);
    f.clock.advance(120 * MINUTE);
    await f.cfg.rollouts.tick();
    expect((await f.cfg.rollouts.get(r.id)).currentRing).toBe(0);
    expect(onRevision(2)).toBe(2);
    // Compliance counts the failure against the policy.
    const c = await f.cfg.compliance.policy(policyId);
    expect(c).toMatchObject({ devices: 40, failed: 1, pending: 39 });
  });

  it('pauses (no automatic advance) and resumes with a fresh soak', async () => {
    const r = await start();
    await f.cfg.rollouts.pause(r.id, 'admin');
    f.clock.advance(120 * MINUTE);
    await f.cfg.rollouts.tick();
    expect(await f.cfg.rollouts.get(r.id)).toMatchObject({ state: 'paused', currentRing: 0 });
    await f.cfg.rollouts.resume(r.id, 'admin');
    await f.cfg.rollouts.idle();
    await applyReached();
    f.clock.advance(10 * MINUTE);
    await f.cfg.rollouts.tick();
    expect(await f.cfg.rollouts.get(r.id)).toMatchObject({ state: 'running', currentRing: 0 });
    f.clock.advance(21 * MINUTE);
    await f.cfg.rollouts.tick();
    expect((await f.cfg.rollouts.get(r.id)).currentRing).toBe(1);
  });

  it('advances by hand without automatic advance, and refuses a second rollout of the same policy', async () => {
    const r = await start({ autoAdvance: false, soakMinutes: 0 });
    f.clock.advance(120 * MINUTE);
    await f.cfg.rollouts.tick();
    expect((await f.cfg.rollouts.get(r.id)).currentRing).toBe(0);
    await f.cfg.rollouts.advance(r.id, 'admin');
    expect(onRevision(2)).toBe(6);
    await expect(start()).rejects.toMatchObject({ response: { code: 'ROLLOUT_IN_PROGRESS' } });
    await expect(f.cfg.policies.update(policyId, { document: printers('v3') }, 'admin')).rejects.toMatchObject({
      response: { code: 'ROLLOUT_IN_PROGRESS' },
    });
  });

  it('rolls back: every device that got the new revision gets the previous one in a new config revision', async () => {
    const r = await start({ autoAdvance: false });
    await f.cfg.rollouts.advance(r.id, 'admin');
    await f.cfg.rollouts.advance(r.id, 'admin');
    const reached = fleet.filter((d) => revisionOf(d) === 2);
    expect(reached.length).toBeGreaterThan(6);
    const before = new Map(fleet.map((d) => [d, f.lastConfig(d)?.revision ?? 0]));
    const rolled = await f.cfg.rollouts.rollback(r.id, 'admin');
    expect(rolled.state).toBe('rolled-back');
    expect(onRevision(1)).toBe(40);
    for (const d of fleet) {
      expect(f.lastConfig(d)?.revision).toBe((before.get(d) ?? 0) + (reached.includes(d) ? 1 : 0));
    }
    expect((await f.cfg.policies.get(policyId)).deployedRevision).toBe(1);
  });

  it('rolls back a completed rollout by deploying the previous revision again', async () => {
    const r = await start({ rings: [{ kind: 'percent', percent: 100 }], soakMinutes: 0 });
    await applyReached();
    await f.cfg.rollouts.tick();
    expect((await f.cfg.rollouts.get(r.id)).state).toBe('completed');
    expect(onRevision(2)).toBe(40);
    await f.cfg.rollouts.rollback(r.id, 'admin');
    expect(onRevision(1)).toBe(40);
    expect((await f.cfg.policies.get(policyId)).deployedRevision).toBe(1);
  });

  it('refuses a plan that does not end at 100 % or names an unknown group, by field', async () => {
    await expect(start({ rings: [{ kind: 'percent', percent: 50 }] })).rejects.toMatchObject({
      response: { errors: { 'plan.rings.0': expect.stringMatching(/last ring/) } },
    });
    await expect(
      start({
        rings: [
          { kind: 'group', group: 'nobody' },
          { kind: 'percent', percent: 100 },
        ],
      }),
    ).rejects.toMatchObject({ response: { errors: { 'plan.rings.0.group': 'no group nobody' } } });
  });
});
