import type { DataProvider } from 'react-admin';
import { API_URL, httpClient } from '../providers/http-client.js';
import type { GroupMember } from './group.js';

const membersUrl = (id: unknown) => `${API_URL}/groups/${encodeURIComponent(String(id))}/members`;

async function members(id: unknown): Promise<GroupMember[]> {
  const { json } = await httpClient(membersUrl(id));
  return json as GroupMember[];
}

/** Adds and removes members so that the group holds exactly `wanted`. */
async function syncMembers(id: unknown, wanted: readonly string[]): Promise<void> {
  const current = new Set((await members(id)).map((m) => m.id));
  const add = wanted.filter((d) => !current.has(d));
  const keep = new Set(wanted);
  if (add.length > 0) {
    await httpClient(membersUrl(id), { method: 'POST', body: JSON.stringify({ deviceIds: add }) });
  }
  for (const deviceId of current) {
    if (!keep.has(deviceId)) {
      await httpClient(`${membersUrl(id)}/${encodeURIComponent(deviceId)}`, { method: 'DELETE' });
    }
  }
}

/**
 * The hub keeps a group's members behind their own routes (`/groups/{id}/members`); the forms edit
 * them as one `deviceIds` field. getOne adds it, create and update send the group then sync it.
 */
export function withGroupMembers(base: DataProvider): DataProvider {
  return {
    ...base,
    async getOne(resource, params) {
      const result = await base.getOne(resource, params);
      if (resource !== 'groups') return result;
      const list = await members(result.data.id);
      return { data: { ...result.data, deviceIds: list.map((m) => m.id), memberList: list } };
    },
    async create(resource, params) {
      if (resource !== 'groups') return base.create(resource, params);
      const { deviceIds, ...group } = params.data as { deviceIds?: string[]; name: string; description?: string };
      const result = await base.create(resource, { ...params, data: group });
      if (deviceIds?.length) await syncMembers(result.data.id, deviceIds);
      return result;
    },
    async update(resource, params) {
      if (resource !== 'groups') return base.update(resource, params);
      const { deviceIds, ...group } = params.data as { deviceIds?: string[]; name?: string; description?: string };
      const result = await base.update(resource, { ...params, data: group });
      if (deviceIds) await syncMembers(params.id, deviceIds);
      return { data: { ...result.data, deviceIds: deviceIds ?? [] } };
    },
  } as DataProvider;
}
