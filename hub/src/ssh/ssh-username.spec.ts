import { describe, expect, it } from 'vitest';
import { parseSshUsername } from './ssh-username.js';

describe('parseSshUsername', () => {
  it('reads USER+DEVICE as a root shell on the device', () => {
    expect(parseSshUsername('alice+pc-compta-12')).toEqual({
      ok: true,
      target: { username: 'alice', deviceRef: 'pc-compta-12', as: 'root' },
    });
    expect(parseSshUsername('bob.martin+01JD8X3Q5R7T9V1W3Y5Z7A9C1E')).toMatchObject({
      ok: true,
      target: { username: 'bob.martin', deviceRef: '01JD8X3Q5R7T9V1W3Y5Z7A9C1E' },
    });
    expect(parseSshUsername('alice+pc12.mairie.local+root')).toMatchObject({
      ok: true,
      target: { deviceRef: 'pc12.mairie.local', as: 'root' },
    });
  });

  it('reads a third part +user as the signed-in desktop user', () => {
    expect(parseSshUsername('alice+pc-compta-12+user')).toEqual({
      ok: true,
      target: { username: 'alice', deviceRef: 'pc-compta-12', as: 'user' },
    });
  });

  it('keeps the account name when the device part is missing or wrong', () => {
    expect(parseSshUsername('alice')).toEqual({ ok: false, username: 'alice', error: 'no-device' });
    expect(parseSshUsername('alice+')).toEqual({ ok: false, username: 'alice', error: 'no-device' });
    expect(parseSshUsername('alice+pc 12')).toEqual({ ok: false, username: 'alice', error: 'bad-device' });
    expect(parseSshUsername('alice+-pc')).toEqual({ ok: false, username: 'alice', error: 'bad-device' });
    expect(parseSshUsername('alice+pc+admin')).toEqual({ ok: false, username: 'alice', error: 'bad-run-as' });
    expect(parseSshUsername('alice+pc+user+x')).toEqual({ ok: false, username: 'alice', error: 'bad-run-as' });
  });
});
