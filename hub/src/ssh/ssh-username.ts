/**
 * What an SSH user name asks for: `USER+DEVICE` opens a root shell on DEVICE (its hostname or id),
 * `USER+DEVICE+user` opens it as the user signed in to the desktop (`+root` is accepted too).
 */
export interface SshTarget {
  username: string;
  deviceRef: string;
  as: 'root' | 'user';
}

export type SshUsernameError = 'no-device' | 'bad-device' | 'bad-run-as';

export type ParsedSshUsername =
  | { ok: true; target: SshTarget }
  /** `username` is still known when only the device part is wrong, so the key can be checked and the message shown. */
  | { ok: false; username: string; error: SshUsernameError };

/** Hostnames (RFC 1123 labels, dotted) and device ids (ULIDs) both fit. */
const DEVICE_REF = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252})$/;

export function parseSshUsername(raw: string): ParsedSshUsername {
  const [username = '', deviceRef, runAs, ...rest] = raw.split('+');
  if (deviceRef === undefined || deviceRef === '') return { ok: false, username, error: 'no-device' };
  if (!DEVICE_REF.test(deviceRef)) return { ok: false, username, error: 'bad-device' };
  if (rest.length > 0 || (runAs !== undefined && runAs !== 'user' && runAs !== 'root')) {
    return { ok: false, username, error: 'bad-run-as' };
  }
  return { ok: true, target: { username, deviceRef, as: runAs === 'user' ? 'user' : 'root' } };
}
