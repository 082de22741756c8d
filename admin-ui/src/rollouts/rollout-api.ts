import type { Identifier } from 'react-admin';
import { api } from '../providers/http-client.js';
import type { Rollout } from './rollout.js';

export type RolloutAction = 'advance' | 'pause' | 'resume' | 'rollback';

/** `POST /rollouts/{id}/{action}` → the rollout as it is now. */
export async function rolloutAction(id: Identifier, action: RolloutAction): Promise<Rollout> {
  const { json } = await api(`/rollouts/${encodeURIComponent(String(id))}/${action}`, { method: 'POST' });
  return json as Rollout;
}
