import { describe, expect, it } from 'vitest';
import { roleForGroups } from './ldap-accounts.js';
import { parseRoleMap, resolveLdapSettings } from './ldap-settings.js';

describe('LDAP settings', () => {
  it('reads the role map, the role after the last =', () => {
    const map = parseRoleMap('CN=DSI,OU=Groupes,DC=corp,DC=test=admin; CN=Support,DC=corp,DC=test=helpdesk;');
    expect(map).toEqual([
      { groupDn: 'CN=DSI,OU=Groupes,DC=corp,DC=test', role: 'admin' },
      { groupDn: 'CN=Support,DC=corp,DC=test', role: 'helpdesk' },
    ]);
    expect(() => parseRoleMap('CN=DSI,DC=corp,DC=test=root')).toThrow(/GROUP_DN=ROLE/);
    expect(() => parseRoleMap('admin')).toThrow(/GROUP_DN=ROLE/);
    expect(() => parseRoleMap(' ; ')).toThrow(/at least one/);
  });

  it('gives the role of the first mapped group, without case', () => {
    const map = parseRoleMap('CN=DSI,DC=corp,DC=test=admin;CN=Support,DC=corp,DC=test=helpdesk');
    expect(roleForGroups(map, ['cn=support,dc=corp,dc=test', 'CN=DSI,DC=CORP,DC=TEST'])).toBe('admin');
    expect(roleForGroups(map, ['CN=Support,DC=corp,DC=test'])).toBe('helpdesk');
    expect(roleForGroups(map, ['CN=Compta,DC=corp,DC=test'])).toBeNull();
  });

  it('says which flag is missing or wrong', () => {
    expect(resolveLdapSettings({})).toBeUndefined();
    // serve passes all of its options: the other flags are not LDAP flags
    expect(resolveLdapSettings({ data: '/var/lib/bascule-hub' } as never)).toBeUndefined();
    expect(() => resolveLdapSettings({ ldapBaseDn: 'DC=corp,DC=test' })).toThrow(/need --ldap-url/);
    expect(() => resolveLdapSettings({ ldapUrl: 'https://dc1' })).toThrow(/ldaps:\/\/ or ldap:\/\//);
    expect(() => resolveLdapSettings({ ldapUrl: 'ldaps://dc1.corp.test' })).toThrow(/--ldap-bind-password-file/);
  });
});
