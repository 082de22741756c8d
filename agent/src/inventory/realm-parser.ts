import type { DomainSection } from '@bascule/protocol';
import { UnreadableOutputError } from './key-value.js';

type Realm = DomainSection['realms'][number];

const list = (v: string | undefined) =>
  v
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * `realm list`: each realm is a line with its name, then indented `key: value` lines (type,
 * realm-name, domain-name, configured, server-software, client-software, login-formats,
 * login-policy, permitted-logins, permitted-groups). Empty output: no realm.
 */
export function parseRealmList(stdout: string): Realm[] {
  const realms: Realm[] = [];
  let props: Map<string, string> | undefined;
  let name = '';
  const flush = () => {
    if (!props) return;
    const get = (k: string) => props?.get(k) || undefined;
    const logins = list(get('permitted-logins'));
    const groups = list(get('permitted-groups'));
    realms.push({
      name,
      ...(get('domain-name') ? { domain: get('domain-name') } : {}),
      ...(get('type') ? { type: get('type') } : {}),
      ...(get('configured') ? { configured: get('configured') } : {}),
      ...(get('client-software') ? { clientSoftware: get('client-software') } : {}),
      ...(get('server-software') ? { serverSoftware: get('server-software') } : {}),
      ...(get('login-formats') ? { loginFormats: get('login-formats') } : {}),
      ...(get('login-policy') ? { loginPolicy: get('login-policy') } : {}),
      ...(logins?.length ? { permittedLogins: logins } : {}),
      ...(groups?.length ? { permittedGroups: groups } : {}),
    });
  };
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    if (!/^\s/.test(line)) {
      flush();
      name = line.trim();
      props = new Map();
      continue;
    }
    const m = /^\s+([a-z-]+): ?(.*)$/.exec(line);
    if (!m || !props) throw new UnreadableOutputError('realm list', 'unexpected line', line);
    props.set(m[1] as string, (m[2] as string).trim());
  }
  flush();
  return realms;
}
