import type { Role } from '../providers/auth-provider.js';

export const ROLES: Role[] = ['admin', 'helpdesk', 'viewer'];

/** Choices for a SelectInput; names are i18n keys, translated by react-admin. */
export const roleChoices = ROLES.map((role) => ({ id: role, name: `bascule.roles.${role}` }));
