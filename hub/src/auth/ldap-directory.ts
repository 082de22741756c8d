import { Client, EqualityFilter, InvalidCredentialsError } from 'ldapts';
import type { LdapSettings } from './ldap-settings.js';

/** What the directory says of a user whose password it accepted. */
export interface DirectoryUser {
  dn: string;
  username: string;
  /** DNs of the groups the user is a direct member of (`memberOf`). */
  groups: string[];
}

const TIMEOUT_MS = 10_000;

/**
 * Active Directory over LDAPS or StartTLS (the CA given is the only one trusted): the search account
 * finds the user by sAMAccountName, then a bind with the user's own DN and password checks it.
 */
export class LdapDirectory {
  constructor(private readonly settings: LdapSettings) {}

  /** The user when the password is right; null when the user is unknown or the password wrong. */
  async authenticate(username: string, password: string): Promise<DirectoryUser | null> {
    // An empty password is an "unauthenticated bind" that AD accepts: never send one.
    if (!password) return null;
    const found = await this.withClient(async (client) => {
      await client.bind(this.settings.bindDn, this.settings.bindPassword);
      const { searchEntries } = await client.search(this.settings.baseDn, {
        scope: 'sub',
        // EqualityFilter escapes the value: a name like `*)(cn=*` matches nothing.
        filter: new EqualityFilter({ attribute: 'sAMAccountName', value: username }),
        attributes: ['dn', 'sAMAccountName', 'memberOf'],
        sizeLimit: 2,
      });
      return searchEntries;
    });
    if (found.length !== 1) return null;
    const entry = found[0] as (typeof found)[number];
    try {
      await this.withClient((client) => client.bind(entry.dn, password));
    } catch (err) {
      if (err instanceof InvalidCredentialsError) return null;
      throw err;
    }
    const memberOf = entry.memberOf;
    const groups = (Array.isArray(memberOf) ? memberOf : memberOf ? [memberOf] : []).map(String);
    return { dn: entry.dn, username: String(entry.sAMAccountName ?? username), groups };
  }

  private async withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    const url = new URL(this.settings.url);
    const tlsOptions = { ca: this.settings.ca, servername: url.hostname, minVersion: 'TLSv1.2' as const };
    const client = new Client({
      url: this.settings.url,
      timeout: TIMEOUT_MS,
      connectTimeout: TIMEOUT_MS,
      ...(url.protocol === 'ldaps:' ? { tlsOptions } : {}),
    });
    try {
      if (url.protocol === 'ldap:') await client.startTLS(tlsOptions);
      return await fn(client);
    } finally {
      await client.unbind();
    }
  }
}
