import { createHash } from 'node:crypto';
import { z } from 'zod';

/** A ring: every targeted member of a named group, or a share of all targeted devices. */
export const ringSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('group'), group: z.string().min(1).max(200) }),
  z.object({ kind: z.literal('percent'), percent: z.number().gt(0).max(100) }),
]);
export type Ring = z.infer<typeof ringSchema>;

/** How a rollout goes out: its rings in order and the gate between them. */
export const rolloutPlanSchema = z
  .object({
    rings: z
      .array(ringSchema)
      .min(1)
      .max(20)
      .default([
        { kind: 'group', group: 'IT canary' },
        { kind: 'group', group: 'beta testers' },
        { kind: 'percent', percent: 10 },
        { kind: 'percent', percent: 50 },
        { kind: 'percent', percent: 100 },
      ]),
    /** How long a ring must run before the next one starts (automatic advance). */
    soakMinutes: z.number().min(0).max(43_200).default(60),
    /** Share of a ring's devices failing (0..1) at which the rollout halts by itself. */
    maxFailureRate: z.number().min(0).max(1).default(0.1),
    /** Advance after the soak time by itself; otherwise only on an administrator's request. */
    autoAdvance: z.boolean().default(true),
  })
  .superRefine((plan, ctx) => {
    const last = plan.rings[plan.rings.length - 1];
    if (last?.kind !== 'percent' || last.percent !== 100) {
      ctx.addIssue({
        code: 'custom',
        path: ['rings', plan.rings.length - 1],
        message: 'the last ring must be { "kind": "percent", "percent": 100 } so that every device gets there',
      });
    }
    let previous = 0;
    plan.rings.forEach((ring, i) => {
      if (ring.kind !== 'percent') return;
      if (ring.percent <= previous) {
        ctx.addIssue({
          code: 'custom',
          path: ['rings', i, 'percent'],
          message: 'waves must grow: each above the last',
        });
      }
      previous = ring.percent;
    });
  });
export type RolloutPlan = z.infer<typeof rolloutPlanSchema>;

/**
 * Where a device falls in the percentage waves, in [0, 1): a hash of the rollout and device ids, so
 * the same devices go first on every computation and another rollout picks other devices first.
 */
export function waveBucket(rolloutId: string, deviceId: string): number {
  return createHash('sha256').update(`${rolloutId}:${deviceId}`).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * The ring of each targeted device: the first ring that contains it (group rings by membership,
 * waves by bucket). With a last ring at 100 %, every targeted device has one.
 */
export function assignRings(
  rolloutId: string,
  rings: Ring[],
  targets: Iterable<string>,
  groupMembers: (groupId: string) => ReadonlySet<string>,
): Map<string, number> {
  const ringOf = new Map<string, number>();
  for (const deviceId of targets) {
    const bucket = waveBucket(rolloutId, deviceId);
    const index = rings.findIndex((r) =>
      r.kind === 'group' ? groupMembers(r.group).has(deviceId) : bucket < r.percent / 100,
    );
    if (index >= 0) ringOf.set(deviceId, index);
  }
  return ringOf;
}
