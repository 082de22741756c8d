/** One realm as `realm list` shows it. */
export interface RealmEntry {
  domain: string;
  /** `kerberos-member` once joined, `no` for a realm only discovered. */
  configured: string;
  loginPolicy: string;
  permittedGroups: string[];
  permittedLogins: string[];
  loginFormats: string;
}

/** `realm list`: a name line, then indented `key: value` lines (empty output: no realm). */
export function parseRealmList(stdout: string): RealmEntry[] {
  const realms: RealmEntry[] = [];
  let current: RealmEntry | undefined;
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    if (!/^\s/.test(line)) {
      current = {
        domain: line.trim().toLowerCase(),
        configured: 'no',
        loginPolicy: '',
        permittedGroups: [],
        permittedLogins: [],
        loginFormats: '',
      };
      realms.push(current);
      continue;
    }
    const m = /^\s+([a-z-]+):\s?(.*)$/.exec(line);
    if (!current || !m) continue;
    const [, key, value = ''] = m;
    const list = () =>
      value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
    if (key === 'domain-name') current.domain = value.trim().toLowerCase();
    else if (key === 'configured') current.configured = value.trim();
    else if (key === 'login-policy') current.loginPolicy = value.trim();
    else if (key === 'permitted-groups') current.permittedGroups = list();
    else if (key === 'permitted-logins') current.permittedLogins = list();
    else if (key === 'login-formats') current.loginFormats = value.trim();
  }
  return realms;
}

/** An INI file as sssd.conf is written: `[section]` and `key = value` lines, `#`/`;` comments. */
export function iniGet(text: string, section: string, key: string): string | undefined {
  let inSection = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const s = /^\[(.+)\]$/.exec(line);
    if (s) {
      inSection = s[1] === section;
      continue;
    }
    if (!inSection || line.startsWith('#') || line.startsWith(';')) continue;
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (kv && kv[1] === key) return kv[2];
  }
  return undefined;
}

/** Sets `key = value` in `[section]` (replacing the line, or adding it at the section's end). */
export function iniSet(text: string, section: string, key: string, value: string): string {
  const lines = text.split('\n');
  let start = -1;
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const s = /^\s*\[(.+)\]\s*$/.exec(lines[i] ?? '');
    if (!s) continue;
    if (start >= 0) {
      end = i;
      break;
    }
    if (s[1] === section) start = i;
  }
  if (start < 0) {
    const sep = text === '' || text.endsWith('\n') ? '' : '\n';
    return `${text}${sep}\n[${section}]\n${key} = ${value}\n`;
  }
  for (let i = start + 1; i < end; i++) {
    const kv = /^\s*([^=#;]+?)\s*=/.exec(lines[i] ?? '');
    if (kv && kv[1] === key) {
      lines[i] = `${key} = ${value}`;
      return lines.join('\n');
    }
  }
  // After the section's last non-blank line.
  let at = end;
  while (at > start + 1 && (lines[at - 1] ?? '').trim() === '') at--;
  lines.splice(at, 0, `${key} = ${value}`);
  return lines.join('\n');
}
