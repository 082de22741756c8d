/** The script's name in NetworkManager's `dispatcher.d/pre-up.d/`. */
export const VPN_SCRIPT_NAME = '90-bascule-antivirus-scan';

function quote(arg: string): string {
  return `'${arg.replaceAll("'", "'\\''")}'`;
}

/**
 * The NetworkManager dispatcher script of `scanBeforeVpn`: NetworkManager runs the scripts of
 * `pre-up.d` with the interface and the action, and waits for them before the connection comes up.
 * On `vpn-pre-up` it scans /home through the agent's command (`antivirus scan --trigger before-vpn`),
 * whose events reach the hub through the daemon; other actions do nothing.
 */
export function vpnDispatcherScript(agentCommand: readonly string[], extraArgs: readonly string[]): string {
  const command = [...agentCommand, 'antivirus', 'scan', '--trigger', 'before-vpn', ...extraArgs, '/home'];
  return [
    '#!/bin/sh',
    "# Installed by Bascule's antivirus policy (scanBeforeVpn); removed with the policy. Do not edit.",
    '# NetworkManager waits for pre-up scripts: the VPN comes up once the scan of /home is over.',
    '[ "$2" = "vpn-pre-up" ] || exit 0',
    `exec ${command.map(quote).join(' ')}`,
    '',
  ].join('\n');
}
