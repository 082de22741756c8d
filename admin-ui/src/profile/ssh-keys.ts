import { api } from '../providers/http-client.js';

/** One of the signed-in user's SSH keys, as `GET /api/v1/account/ssh-keys` returns it (docs/rest-api.md). */
export interface SshKey {
  id: string;
  userId: string;
  algorithm: string;
  fingerprint: string;
  comment: string;
  publicKey: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export const accountSshKeys = {
  async list(): Promise<SshKey[]> {
    return (await api('/account/ssh-keys')).json as SshKey[];
  },
  async add(publicKey: string): Promise<SshKey> {
    return (await api('/account/ssh-keys', { method: 'POST', body: JSON.stringify({ publicKey }) })).json as SshKey;
  },
  async remove(id: string): Promise<void> {
    await api(`/account/ssh-keys/${encodeURIComponent(id)}`, { method: 'DELETE' });
  },
};
