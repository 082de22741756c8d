import type { IdGenerator } from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { LdapDirectory } from './ldap-directory.js';
import type { LdapSettings } from './ldap-settings.js';
import type { Role, UserRepository, UserRow } from './user.repository.js';

/** Marks an account without a local password: no scrypt hash ever has this form. */
export const NO_LOCAL_PASSWORD = '!ldap';

/** The role the first mapped group gives (DNs compared without case), or null. */
export function roleForGroups(roleMap: LdapSettings['roleMap'], groups: readonly string[]): Role | null {
  const mine = new Set(groups.map((g) => g.toLowerCase()));
  return roleMap.find((m) => mine.has(m.groupDn.toLowerCase()))?.role ?? null;
}

/**
 * Sign-in with Active Directory credentials: the directory checks the password, the groups give the
 * role, and the local account is created at the first sign-in and updated at each (no password kept).
 */
export class LdapAccounts {
  constructor(
    private readonly directory: Pick<LdapDirectory, 'authenticate'>,
    private readonly roleMap: LdapSettings['roleMap'],
    private readonly users: UserRepository,
    private readonly audit: AuditRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The local account for these AD credentials; null when the password is wrong or no group maps to a role. */
  async signIn(username: string, password: string): Promise<UserRow | null> {
    const found = await this.directory.authenticate(username, password);
    if (!found) return null;
    const role = roleForGroups(this.roleMap, found.groups);
    const now = this.clock.now().toISOString();
    if (!role) {
      this.logger.warn('directory user in no mapped group refused', { username });
      await this.audit.record({ ts: now, actor: username, action: 'auth.ldap_no_role', detail: { dn: found.dn } });
      return null;
    }
    const existing = await this.users.findByUsername(found.username);
    if (!existing) {
      const row = {
        id: this.ids(),
        username: found.username,
        role,
        password_hash: NO_LOCAL_PASSWORD,
        must_change_password: 0,
        created_at: now,
        password_changed_at: null,
        last_login_at: null,
        totp_secret: null,
        totp_pending_secret: null,
        totp_enabled_at: null,
        totp_last_step: null,
        departments: null,
        auth_source: 'ldap' as const,
      };
      await this.users.insert(row);
      await this.audit.record({
        ts: now,
        actor: 'directory',
        action: 'user.created',
        target: row.username,
        detail: { source: 'ldap', dn: found.dn, before: null, after: { username: row.username, role } },
      });
      return row;
    }
    if (existing.role !== role) {
      await this.users.update(existing.id, { role });
      await this.audit.record({
        ts: now,
        actor: 'directory',
        action: 'user.role_changed',
        target: existing.username,
        detail: { source: 'ldap', from: existing.role, to: role },
      });
    }
    return { ...existing, role };
  }
}
