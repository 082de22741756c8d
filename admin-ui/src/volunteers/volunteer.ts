/** A volunteer request as the hub gives it (`GET /registry/volunteers`, docs/rest-api.md). */
export type VolunteerState = 'waiting' | 'accepted' | 'refused';

export interface Volunteer {
  id: string;
  campaignId: string;
  name: string;
  departmentId: string | null;
  machine: string;
  constraints: string;
  email: string | null;
  state: VolunteerState;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  machineId: string | null;
  refusalReason: string | null;
  /** Registry machines whose hostname or serial is what the volunteer typed. */
  matchingMachineIds: string[];
}

export const VOLUNTEER_STATES: readonly VolunteerState[] = ['waiting', 'accepted', 'refused'];

/** `GET /volunteer-form/{token}`: what the public page shows. */
export interface VolunteerFormData {
  campaign: string;
  departments: { id: string; name: string; parentId: string | null }[];
  ticket: string;
}

/** A department's name with its parents, "Mairie › Écoles", for the form's list. */
export function departmentLabels(departments: VolunteerFormData['departments']): { id: string; name: string }[] {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const label = (id: string, seen = new Set<string>()): string => {
    const d = byId.get(id);
    if (!d) return '';
    if (!d.parentId || seen.has(d.parentId)) return d.name;
    seen.add(id);
    return `${label(d.parentId, seen)} › ${d.name}`;
  };
  return departments.map((d) => ({ id: d.id, name: label(d.id) })).sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}
