import type { RemoteApp } from '@bascule/protocol';

/** Where Remmina keeps a user's profiles, and where the desktop menus read a user's launchers. */
export const REMMINA_DIR = '.local/share/remmina';
export const APPLICATIONS_DIR = '.local/share/applications';

export const profileName = (app: Pick<RemoteApp, 'id'>) => `bascule-${app.id}.remmina`;
export const launcherName = (app: Pick<RemoteApp, 'id'>) => `bascule-remote-app-${app.id}.desktop`;

/** `%u` → the desktop account; `%%` → `%`. */
export function expandAccount(template: string, user: string): string {
  return template.replace(/%([u%])/g, (_m, c: string) => (c === 'u' ? user : '%'));
}

/**
 * A Remmina RDP profile (a GKeyFile: `[remmina]` and `key=value` lines). The keys are those of
 * Remmina's RDP plugin (checked against remmina-plugin-rdp 1.4.29, Debian's): `server`, `domain`,
 * `username`, `exec` / `execpath` (the start-up program), `gateway_*`. No password: the key is absent
 * and `disablepasswordstoring=1` keeps Remmina from saving the one the user types (docs/decisions.md).
 */
export function remminaProfile(app: RemoteApp, user: string): string {
  const lines: [string, string][] = [
    ['name', app.name],
    ['group', 'Bascule'],
    ['protocol', 'RDP'],
    ['server', app.server],
    ['domain', app.domain],
    ['username', expandAccount(app.username, user)],
    ['exec', app.program],
    ['execpath', app.workingDir],
    ['disablepasswordstoring', '1'],
    ['gateway_usage', app.gateway ? '1' : '0'],
    ['gateway_server', app.gateway?.server ?? ''],
    ['gateway_domain', app.gateway?.domain ?? ''],
    ['gateway_username', app.gateway ? expandAccount(app.gateway.username, user) : ''],
  ];
  return `# Written by the Bascule agent (remote-apps policy): changes made here are overwritten.\n[remmina]\n${lines
    .map(([k, v]) => `${k}=${keyFileValue(v)}`)
    .join('\n')}\n`;
}

/** The applications-menu entry that opens the profile (`remmina -c FILE`). */
export function desktopLauncher(app: RemoteApp, profilePath: string): string {
  return [
    '# Written by the Bascule agent (remote-apps policy).',
    '[Desktop Entry]',
    'Type=Application',
    `Name=${keyFileValue(app.name)}`,
    `Comment=${keyFileValue(`Application Windows sur ${app.server} (connexion bureau à distance)`)}`,
    `Comment[en]=${keyFileValue(`Windows application on ${app.server} (remote desktop)`)}`,
    `Exec=remmina -c ${execArgument(profilePath)}`,
    'Icon=org.remmina.Remmina',
    'Terminal=false',
    'Categories=Network;RemoteAccess;',
    'X-Bascule-Module=remote-apps',
    '',
  ].join('\n');
}

/** GKeyFile escaping: backslash first, then leading space, tab, line breaks (refused by the schema anyway). */
function keyFileValue(v: string): string {
  return v
    .replace(/\\/g, '\\\\')
    .replace(/^ /, '\\s')
    .replace(/\t/g, '\\t')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
}

/** An Exec argument: quoted when needed, with the characters the Desktop Entry spec reserves escaped. */
function execArgument(path: string): string {
  const escaped = path.replace(/%/g, '%%');
  if (!/[\s"'\\`$<>|&;*?#()~]/.test(escaped)) return escaped;
  return keyFileValue(`"${escaped.replace(/(["`$\\])/g, '\\$1')}"`);
}
