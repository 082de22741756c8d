import { api } from '../providers/http-client.js';

/** An administrator's view of someone's second factor (`/api/v1/users/{id}/totp`). */
export const userTotp = {
  async status(id: string): Promise<{ enabled: boolean }> {
    return (await api(`/users/${encodeURIComponent(id)}/totp`)).json as { enabled: boolean };
  },
  async reset(id: string): Promise<void> {
    await api(`/users/${encodeURIComponent(id)}/totp`, { method: 'DELETE' });
  },
};

export const accountSettings = {
  async get(): Promise<{ requireTotp: boolean }> {
    return (await api('/settings/accounts')).json as { requireTotp: boolean };
  },
  async set(value: { requireTotp: boolean }): Promise<{ requireTotp: boolean }> {
    return (await api('/settings/accounts', { method: 'PUT', body: JSON.stringify(value) })).json as {
      requireTotp: boolean;
    };
  },
};
