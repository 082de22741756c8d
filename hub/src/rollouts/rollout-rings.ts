import type { FleetSnapshot } from '../config-publisher/fleet-snapshot.js';
import { assignRings, type RolloutPlan, rolloutPlanSchema } from './ring-plan.js';
import type { RolloutRow } from './rollout.repository.js';

export function planOf(row: RolloutRow): RolloutPlan {
  return rolloutPlanSchema.parse(JSON.parse(row.plan));
}

/** The ring of every device the rollout targets (see ring-plan.ts), for this snapshot of the fleet. */
export function ringsOf(row: RolloutRow, snapshot: FleetSnapshot): Map<string, number> {
  return assignRings(row.id, planOf(row).rings, snapshot.targets(row.policy_id), (g) => snapshot.membersOf(g));
}

/** Devices that have the rollout's new revision: those in a ring up to the current one. */
export function reachedDevices(row: RolloutRow, snapshot: FleetSnapshot): Set<string> {
  const out = new Set<string>();
  for (const [deviceId, ring] of ringsOf(row, snapshot)) if (ring <= row.current_ring) out.add(deviceId);
  return out;
}
