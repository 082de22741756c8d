import type { DataProvider } from 'react-admin';
import type { MigrationDashboard, TrendPoint } from '../migration/migration-stats.js';
import { api, isHttpError } from '../providers/http-client.js';
import {
  type ColumnMapping,
  type ExceptionReason,
  type ImportJob,
  type MachineStatus,
  type Phase,
  REGISTRY_RESOURCES,
  type RegistryDepartment,
  type RegistryMachine,
  type ReviewItem,
} from './registry.js';

const enc = encodeURIComponent;

/** `POST /registry/imports`: the file as the body; the hub detects the encoding and the separator. */
export async function uploadImport(file: Blob, filename: string, preset?: 'glpi'): Promise<ImportJob> {
  const query = `?filename=${enc(filename)}${preset ? `&preset=${preset}` : ''}`;
  const { json } = await api(`/registry/imports${query}`, {
    method: 'POST',
    body: file,
    headers: new Headers({ 'Content-Type': 'text/csv', Accept: 'application/json' }),
  });
  return json as ImportJob;
}

export async function getImport(id: string): Promise<ImportJob> {
  return (await api(`/registry/imports/${enc(id)}`)).json as ImportJob;
}

export async function putImportMapping(id: string, mapping: ColumnMapping): Promise<ImportJob> {
  const { json } = await api(`/registry/imports/${enc(id)}/mapping`, {
    method: 'PUT',
    body: JSON.stringify({ mapping }),
  });
  return json as ImportJob;
}

export async function confirmImport(id: string, skipInvalid: boolean): Promise<ImportJob> {
  const { json } = await api(`/registry/imports/${enc(id)}/confirm`, {
    method: 'POST',
    body: JSON.stringify(skipInvalid ? { skipInvalid: true } : {}),
  });
  return json as ImportJob;
}

export interface StatusChange {
  status: MachineStatus;
  exceptionReason?: ExceptionReason;
  workaround?: string;
  rollbackReason?: string;
}

export async function setMachineStatus(id: string, change: StatusChange): Promise<RegistryMachine> {
  const { json } = await api(`/registry/machines/${enc(id)}/status`, { method: 'PUT', body: JSON.stringify(change) });
  return json as RegistryMachine;
}

export async function setMachineDepartment(id: string, departmentId: string | null): Promise<RegistryMachine> {
  const { json } = await api(`/registry/machines/${enc(id)}/department`, {
    method: 'PUT',
    body: JSON.stringify({ departmentId }),
  });
  return json as RegistryMachine;
}

export async function resolveReview(
  id: string,
  action: { action: 'link'; machineId: string } | { action: 'keep-apart' },
): Promise<ReviewItem> {
  const { json } = await api(`/registry/reviews/${enc(id)}/resolve`, { method: 'POST', body: JSON.stringify(action) });
  return json as ReviewItem;
}

export async function listDepartments(): Promise<RegistryDepartment[]> {
  return (await api('/registry/departments')).json as RegistryDepartment[];
}

export async function createDepartment(body: {
  name: string;
  parentId: string | null;
  phase?: Phase;
}): Promise<RegistryDepartment> {
  const { json } = await api('/registry/departments', { method: 'POST', body: JSON.stringify(body) });
  return json as RegistryDepartment;
}

/** `PATCH`: rename, move (`parentId`, `null` for the root) or change the phase. */
export async function updateDepartment(
  id: string,
  patch: { name?: string; parentId?: string | null; phase?: Phase },
): Promise<RegistryDepartment> {
  const { json } = await api(`/registry/departments/${enc(id)}`, { method: 'PATCH', body: JSON.stringify(patch) });
  return json as RegistryDepartment;
}

export async function deleteDepartment(id: string): Promise<void> {
  await api(`/registry/departments/${enc(id)}`, { method: 'DELETE' });
}

export async function getMigrationDashboard(): Promise<MigrationDashboard> {
  return (await api('/registry/dashboard')).json as MigrationDashboard;
}

export async function getTrend(): Promise<TrendPoint[]> {
  return (await api('/registry/dashboard/trend')).json as TrendPoint[];
}

/**
 * The volunteer requests waiting for IT (`GET /registry/volunteers?filter={"state":"waiting"}`, total in
 * Content-Range); `null` for a role that may not read them (403), so the dashboard shows nothing rather
 * than a false zero.
 */
export async function getVolunteersWaiting(): Promise<number | null> {
  try {
    const { json, headers } = await api(
      `/registry/volunteers?filter=${enc('{"state":"waiting"}')}&range=${enc('[0,0]')}`,
    );
    const range = headers.get('content-range');
    const total = range ? Number(range.split('/').pop()) : Array.isArray(json) ? json.length : Number.NaN;
    return Number.isFinite(total) ? total : null;
  } catch (error) {
    // Not for this role (403): the count is simply not shown.
    if (isHttpError(error) && error.status === 403) return null;
    throw error;
  }
}

/** The registry's resources reach their hub routes under `registry/` (react-admin names cannot hold a `/`). */
export function withRegistryResources(base: DataProvider): DataProvider {
  const route = (resource: string) => REGISTRY_RESOURCES[resource] ?? resource;
  const out: Record<string, unknown> = { ...base };
  for (const method of [
    'getList',
    'getOne',
    'getMany',
    'getManyReference',
    'create',
    'update',
    'updateMany',
    'delete',
    'deleteMany',
  ] as const) {
    const fn = base[method] as (resource: string, params: unknown) => Promise<unknown>;
    out[method] = (resource: string, params: unknown) => fn.call(base, route(resource), params);
  }
  return out as DataProvider;
}
