import type { Identifier } from 'react-admin';

export type RolloutState = 'running' | 'paused' | 'halted' | 'completed' | 'rolled-back';

export type Ring = { kind: 'group'; group: string } | { kind: 'percent'; percent: number };

export interface RolloutPlan {
  rings: Ring[];
  soakMinutes: number;
  /** 0..1 */
  maxFailureRate: number;
  autoAdvance: boolean;
}

export interface RingProgress {
  index: number;
  ring: Ring;
  groupName?: string;
  reached: boolean;
  devices: number;
  applied: number;
  failed: number;
  drift: number;
  pending: number;
  failureRate: number;
}

/** `GET /rollouts/{id}`. */
export interface Rollout {
  id: Identifier;
  policyId: string;
  policyName: string;
  fromRevision: number | null;
  toRevision: number;
  state: RolloutState;
  reason: string | null;
  plan: RolloutPlan;
  currentRing: number;
  ringStartedAt: string;
  soakEndsAt: string;
  rings: RingProgress[];
  failures: {
    deviceId: string;
    hostname: string;
    ring: number;
    status: string;
    error: string | null;
    at: string | null;
  }[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

/** The hub's defaults (ring-plan.ts): two named groups, then 10 %, 50 %, 100 % of the targeted devices. */
export const DEFAULT_PLAN: RolloutPlan = {
  rings: [
    { kind: 'group', group: 'IT canary' },
    { kind: 'group', group: 'beta testers' },
    { kind: 'percent', percent: 10 },
    { kind: 'percent', percent: 50 },
    { kind: 'percent', percent: 100 },
  ],
  soakMinutes: 60,
  maxFailureRate: 0.1,
  autoAdvance: true,
};

export const ACTIVE_STATES: readonly RolloutState[] = ['running', 'paused', 'halted'];
