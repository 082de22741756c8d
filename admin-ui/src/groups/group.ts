import type { Identifier } from 'react-admin';

/** `GET /groups/{id}` (the list adds `members`, a count). */
export interface Group {
  id: Identifier;
  name: string;
  description: string;
  createdAt: string;
  members?: number;
}

/** `GET /groups/{id}/members`. */
export interface GroupMember {
  id: string;
  hostname: string;
  department: string | null;
  online: boolean;
}

/** A group as the admin UI's forms hold it: the hub's record plus the member ids (`deviceIds`). */
export interface GroupRecord extends Group {
  deviceIds: string[];
}
