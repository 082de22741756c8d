import type { Identifier } from 'react-admin';
import { api } from '../providers/http-client.js';
import type { Volunteer, VolunteerFormData } from './volunteer.js';

const volunteer = (id: Identifier) => `/registry/volunteers/${encodeURIComponent(String(id))}`;

/** `POST /registry/volunteers/{id}/accept`: the registry machine becomes a candidate. */
export async function acceptVolunteer(id: Identifier, machineId?: string): Promise<Volunteer> {
  const { json } = await api(`${volunteer(id)}/accept`, {
    method: 'POST',
    body: JSON.stringify(machineId ? { machineId } : {}),
  });
  return json as Volunteer;
}

export async function refuseVolunteer(id: Identifier, reason: string): Promise<Volunteer> {
  const { json } = await api(`${volunteer(id)}/refuse`, {
    method: 'POST',
    body: JSON.stringify(reason ? { reason } : {}),
  });
  return json as Volunteer;
}

/** `POST /registry/volunteer-campaigns`: the token comes back once, here. */
export async function createCampaign(name: string): Promise<{ id: string; token: string; path: string }> {
  const { json } = await api('/registry/volunteer-campaigns', { method: 'POST', body: JSON.stringify({ name }) });
  return json as { id: string; token: string; path: string };
}

/** The registry's departments (no paging), to name them in the list. */
export async function registryDepartments(): Promise<VolunteerFormData['departments']> {
  const { json } = await api('/registry/departments');
  return json as VolunteerFormData['departments'];
}

/** A refusal of the public form: the status and the hub's message. */
export class FormError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The public routes are called without the admin UI's client: no session, no redirect to the login page. */
async function publicCall<T>(token: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`/api/v1/volunteer-form/${encodeURIComponent(token)}`, {
    ...init,
    headers: { Accept: 'application/json', ...(init?.body ? { 'Content-Type': 'application/json' } : {}) },
    credentials: 'omit',
  });
  const body = (await res.json().catch(() => ({}))) as { message?: string };
  if (!res.ok) throw new FormError(res.status, body.message ?? res.statusText);
  return body as T;
}

export function loadVolunteerForm(token: string): Promise<VolunteerFormData> {
  return publicCall(token);
}

export function sendVolunteerForm(token: string, body: Record<string, string>): Promise<{ id: string }> {
  return publicCall(token, { method: 'POST', body: JSON.stringify(body) });
}
