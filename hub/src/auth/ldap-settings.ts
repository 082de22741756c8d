import fs from 'node:fs';
import type { Role } from './user.repository.js';

/** `serve --ldap-*`: sign-in with Active Directory credentials (docs/architecture.md). */
export interface LdapSettings {
  /** `ldaps://dc1.corp.test` or `ldap://dc1.corp.test` (then StartTLS is always used). */
  url: string;
  baseDn: string;
  /** The search account (a plain user that may read users and their groups). */
  bindDn: string;
  bindPassword: string;
  /** PEM CA bundle that signs the DC's certificate; the certificate is always verified. */
  ca: string;
  /** AD group DN → role, in order: the first group the user is a member of gives the role. */
  roleMap: { groupDn: string; role: Role }[];
}

const ROLE_NAMES: readonly Role[] = ['admin', 'helpdesk', 'viewer'];

/** `"CN=DSI,OU=Groupes,DC=corp,DC=test=admin;CN=Support,…=helpdesk"`: the role is after the last `=`. */
export function parseRoleMap(v: string): LdapSettings['roleMap'] {
  const entries = v
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('--ldap-role-map: give at least one GROUP_DN=ROLE');
  return entries.map((entry) => {
    const eq = entry.lastIndexOf('=');
    const groupDn = entry.slice(0, eq).trim();
    const role = entry.slice(eq + 1).trim() as Role;
    if (eq <= 0 || !groupDn.includes('=') || !ROLE_NAMES.includes(role)) {
      throw new Error(
        `--ldap-role-map: "${entry}" should be GROUP_DN=ROLE with ROLE one of ${ROLE_NAMES.join(', ')} (CN=DSI,DC=corp,DC=test=admin)`,
      );
    }
    return { groupDn, role };
  });
}

export interface LdapFlags {
  ldapUrl?: string;
  ldapBaseDn?: string;
  ldapBindDn?: string;
  ldapBindPasswordFile?: string;
  ldapCa?: string;
  ldapRoleMap?: string;
}

/** The LDAP settings from the flags, none when `--ldap-url` is absent; a flag missing is an error naming it. */
export function resolveLdapSettings(f: LdapFlags): LdapSettings | undefined {
  if (!f.ldapUrl) {
    const { ldapBaseDn, ldapBindDn, ldapBindPasswordFile, ldapCa, ldapRoleMap } = f;
    const stray = [ldapBaseDn, ldapBindDn, ldapBindPasswordFile, ldapCa, ldapRoleMap].some((v) => v !== undefined);
    if (stray) throw new Error('the --ldap-* flags need --ldap-url');
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(f.ldapUrl);
  } catch {
    throw new Error(`--ldap-url: "${f.ldapUrl}" is not a URL (expected ldaps://dc1.corp.test)`);
  }
  if (url.protocol !== 'ldaps:' && url.protocol !== 'ldap:') {
    throw new Error(`--ldap-url: expected ldaps:// or ldap:// (StartTLS), got ${url.protocol}`);
  }
  const need = (name: string, v: string | undefined) => {
    if (!v) throw new Error(`--ldap-url needs ${name}`);
    return v;
  };
  const passwordFile = need('--ldap-bind-password-file', f.ldapBindPasswordFile);
  const caFile = need('--ldap-ca', f.ldapCa);
  return {
    url: f.ldapUrl,
    baseDn: need('--ldap-base-dn', f.ldapBaseDn),
    bindDn: need('--ldap-bind-dn', f.ldapBindDn),
    // A file, not a flag: a password on the command line is visible in `ps` to every local user.
    bindPassword: fs.readFileSync(passwordFile, 'utf8').trim(),
    ca: fs.readFileSync(caFile, 'utf8'),
    roleMap: parseRoleMap(need('--ldap-role-map', f.ldapRoleMap)),
  };
}
