import { useQuery } from '@tanstack/react-query';
import type { Identifier } from 'react-admin';
import { api } from '../providers/http-client.js';
import type { Assignment, DiffChange, ModuleCompliance, PolicyCompliance, Revision } from './policy.js';

const path = (id: Identifier, rest = '') => `/policies/${encodeURIComponent(String(id))}${rest}`;

async function get<T>(url: string): Promise<T> {
  return (await api(url)).json as T;
}

/** The policy's routes outside simple-rest, as react-query hooks keyed by policy. */
export const policyApi = {
  revisions: (id: Identifier) => get<Revision[]>(path(id, '/revisions')),
  diff: (id: Identifier, from: number, to: number) =>
    get<{ from: number; to: number; changes: DiffChange[] }>(path(id, `/diff?from=${from}&to=${to}`)),
  compliance: (id: Identifier) => get<PolicyCompliance>(path(id, '/compliance')),
  deviceCompliance: (deviceId: string) =>
    get<{ modules: ModuleCompliance[] }>(`/devices/${encodeURIComponent(deviceId)}/compliance`),
  setAssignments: (id: Identifier, list: Assignment[]) =>
    api(path(id, '/assignments'), { method: 'PUT', body: JSON.stringify(list) }),
  deploy: (id: Identifier, revision: number) =>
    api(path(id, '/deploy'), { method: 'POST', body: JSON.stringify({ revision }) }),
};

export const useRevisions = (id: Identifier | undefined) =>
  useQuery({
    queryKey: ['policies', id, 'revisions'],
    queryFn: () => policyApi.revisions(id as Identifier),
    enabled: id !== undefined,
  });

export const useDiff = (id: Identifier | undefined, from: number, to: number) =>
  useQuery({
    queryKey: ['policies', id, 'diff', from, to],
    queryFn: () => policyApi.diff(id as Identifier, from, to),
    enabled: id !== undefined && from > 0 && to > 0 && from !== to,
  });

export const usePolicyCompliance = (id: Identifier | undefined) =>
  useQuery({
    queryKey: ['policies', id, 'compliance'],
    queryFn: () => policyApi.compliance(id as Identifier),
    enabled: id !== undefined,
    refetchInterval: 10_000,
  });

export const useDeviceCompliance = (deviceId: string) =>
  useQuery({ queryKey: ['devices', deviceId, 'compliance'], queryFn: () => policyApi.deviceCompliance(deviceId) });
