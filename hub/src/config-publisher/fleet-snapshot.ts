import type { GroupRepository } from '../groups/group.repository.js';
import type { PolicyRepository, PolicyRow } from '../policies/policy.repository.js';
import { type AssignmentKind, type Candidate, rankCandidates, SPECIFICITY } from '../policies/precedence.js';
import type { ConfigRepository, FleetDevice } from './config.repository.js';

const EMPTY: ReadonlySet<string> = new Set();

/**
 * Devices, groups, policies and assignments read once, with for each device and module the policies
 * that reach it, best first (policies/precedence.ts). Everything the hub decides per device is
 * computed from one snapshot, so one computation never mixes two states of the database.
 */
export class FleetSnapshot {
  private readonly members = new Map<string, Set<string>>();
  private readonly ranked = new Map<string, Map<string, Candidate[]>>();

  private constructor(
    readonly devices: FleetDevice[],
    readonly policies: Map<string, PolicyRow>,
    memberRows: { group_id: string; device_id: string }[],
    assignments: { policy_id: string; kind: AssignmentKind; target: string }[],
  ) {
    const groupsOf = new Map<string, string[]>();
    for (const m of memberRows) {
      const set = this.members.get(m.group_id) ?? new Set<string>();
      set.add(m.device_id);
      this.members.set(m.group_id, set);
      const list = groupsOf.get(m.device_id) ?? [];
      list.push(m.group_id);
      groupsOf.set(m.device_id, list);
    }
    const byKey = new Map<string, string[]>();
    for (const a of assignments) {
      const key = `${a.kind}:${a.target}`;
      const list = byKey.get(key) ?? [];
      list.push(a.policy_id);
      byKey.set(key, list);
    }
    for (const d of devices) {
      const best = new Map<string, AssignmentKind>();
      const reach = (kind: AssignmentKind, target: string) => {
        for (const policyId of byKey.get(`${kind}:${target}`) ?? []) {
          const seen = best.get(policyId);
          if (!seen || SPECIFICITY[kind] > SPECIFICITY[seen]) best.set(policyId, kind);
        }
      };
      reach('everyone', '');
      reach('department', d.department);
      for (const g of groupsOf.get(d.id) ?? []) reach('group', g);
      reach('device', d.id);
      const byModule = new Map<string, Candidate[]>();
      for (const [policyId, kind] of best) {
        const p = policies.get(policyId);
        if (!p) continue;
        const list = byModule.get(p.module) ?? [];
        list.push({ policyId, priority: p.priority, kind });
        byModule.set(p.module, list);
      }
      for (const [module, list] of byModule) byModule.set(module, rankCandidates(list));
      if (byModule.size > 0) this.ranked.set(d.id, byModule);
    }
  }

  static async load(configs: ConfigRepository, policies: PolicyRepository, groups: GroupRepository) {
    const [devices, policyRows, memberRows, assignments] = await Promise.all([
      configs.devices(),
      policies.all(),
      groups.allMembers(),
      policies.allAssignments(),
    ]);
    return new FleetSnapshot(devices, new Map(policyRows.map((p) => [p.id, p])), memberRows, assignments);
  }

  membersOf(groupId: string): ReadonlySet<string> {
    return this.members.get(groupId) ?? EMPTY;
  }

  /** Policies of each module reaching the device, best first. */
  candidates(deviceId: string): ReadonlyMap<string, Candidate[]> {
    return this.ranked.get(deviceId) ?? new Map();
  }

  /** Devices for which this policy is the first choice for its module: what a rollout of it targets. */
  targets(policyId: string): string[] {
    const p = this.policies.get(policyId);
    if (!p) return [];
    const out: string[] = [];
    for (const d of this.devices) {
      if (this.ranked.get(d.id)?.get(p.module)?.[0]?.policyId === policyId) out.push(d.id);
    }
    return out;
  }
}
