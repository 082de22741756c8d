/**
 * Which policy wins for a device when several of the same module are assigned to it. Documented in
 * docs/decisions.md: the most specific assignment wins (device > group > department > everyone);
 * at the same level the higher priority, then the older policy (smaller id).
 */
export type AssignmentKind = 'everyone' | 'department' | 'group' | 'device';

export const ASSIGNMENT_KINDS: readonly AssignmentKind[] = ['device', 'group', 'department', 'everyone'];

/** Higher is more specific. */
export const SPECIFICITY: Record<AssignmentKind, number> = { device: 3, group: 2, department: 1, everyone: 0 };

export interface Candidate {
  policyId: string;
  priority: number;
  /** The most specific way the policy reaches this device. */
  kind: AssignmentKind;
}

/** Negative when `a` wins over `b`. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  return (
    SPECIFICITY[b.kind] - SPECIFICITY[a.kind] ||
    b.priority - a.priority ||
    (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : 0)
  );
}

/** Candidates best first. */
export function rankCandidates(candidates: Candidate[]): Candidate[] {
  return [...candidates].sort(compareCandidates);
}
