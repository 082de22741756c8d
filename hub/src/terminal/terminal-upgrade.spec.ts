import { describe, expect, it } from 'vitest';
import type { SignedIn } from '../auth/auth.service.js';
import type { Role } from '../auth/user.repository.js';
import { decideTerminalUpgrade, isSameOrigin } from './terminal-upgrade.js';

const HOST = 'hub.ville.test:8443';
const ORIGIN = `https://${HOST}`;

function signedIn(role: Role, mustChangePassword = false): SignedIn {
  return {
    user: { id: `u-${role}`, username: role, role, mustChangePassword, createdAt: '', lastLoginAt: null },
    sessionIdHash: 'h',
  };
}

/** Cookie value → who it signs in. */
const auth = {
  async authenticate(cookie: string | undefined) {
    const users: Record<string, SignedIn> = {
      helpdesk: signedIn('helpdesk'),
      admin: signedIn('admin'),
      viewer: signedIn('viewer'),
      fresh: signedIn('helpdesk', true),
    };
    return (cookie && users[cookie]) || null;
  },
};

const decide = (opts: { url?: string; origin?: string | null; host?: string; cookie?: string }) =>
  decideTerminalUpgrade(
    {
      url: opts.url ?? '/api/v1/devices/01JDEVICE/terminal?as=root&cols=120&rows=40',
      headers: {
        host: opts.host ?? HOST,
        ...(opts.origin === null ? {} : { origin: opts.origin ?? ORIGIN }),
        ...(opts.cookie ? { cookie: `other=1; bascule_session=${opts.cookie}` } : {}),
      },
    },
    auth,
  );

describe('browser terminal upgrade decision', () => {
  it('lets helpdesk and admin through with the device and the size asked for', async () => {
    await expect(decide({ cookie: 'helpdesk' })).resolves.toEqual({
      ok: true,
      user: { id: 'u-helpdesk', username: 'helpdesk', role: 'helpdesk' },
      params: { deviceRef: '01JDEVICE', as: 'root', cols: 120, rows: 40 },
    });
    const admin = await decide({ cookie: 'admin', url: '/api/v1/devices/pc-compta%2012/terminal?as=user' });
    expect(admin).toMatchObject({ ok: true, params: { deviceRef: 'pc-compta 12', as: 'user', cols: 80, rows: 24 } });
  });

  it('refuses pages of other sites (cross-site WebSocket hijacking) before looking at the cookie', async () => {
    for (const origin of [
      'https://evil.example',
      `http://${HOST}`, // the hub only speaks https: a plain-http page is not the hub
      'https://hub.ville.test:9443',
      'https://hub.ville.test.evil.example:8443',
      'null',
      'not a url',
    ]) {
      await expect(decide({ cookie: 'admin', origin }), origin).resolves.toMatchObject({
        ok: false,
        status: 403,
        code: 'BAD_ORIGIN',
      });
    }
    await expect(decide({ cookie: 'admin', origin: null })).resolves.toMatchObject({ ok: false, status: 403 });
    // The Host header decides what "the hub" is: the same page reached under another name works.
    await expect(
      decide({ cookie: 'admin', host: '127.0.0.1:8443', origin: 'https://127.0.0.1:8443' }),
    ).resolves.toMatchObject({
      ok: true,
    });
  });

  it('compares origins the way browsers write them', () => {
    expect(isSameOrigin('https://HUB.ville.test', 'hub.ville.test:443')).toBe(true);
    expect(isSameOrigin('https://[::1]:8443', '[::1]:8443')).toBe(true);
    expect(isSameOrigin('https://hub.ville.test', undefined)).toBe(false);
    expect(isSameOrigin('https://user@hub.ville.test', 'hub.ville.test')).toBe(false);
  });

  it('asks to sign in without a valid session, and refuses viewers and pending password changes', async () => {
    await expect(decide({})).resolves.toMatchObject({ ok: false, status: 401 });
    await expect(decide({ cookie: 'expired' })).resolves.toMatchObject({ ok: false, status: 401 });
    await expect(decide({ cookie: 'viewer' })).resolves.toMatchObject({
      ok: false,
      status: 403,
      message: expect.stringContaining('admin or helpdesk'),
    });
    await expect(decide({ cookie: 'fresh' })).resolves.toMatchObject({
      ok: false,
      status: 403,
      code: 'PASSWORD_CHANGE_REQUIRED',
    });
  });

  it('answers 404 elsewhere and 400 for bad parameters, with a message saying what is wrong', async () => {
    await expect(decide({ cookie: 'admin', url: '/api/v1/devices/X/shell' })).resolves.toMatchObject({ status: 404 });
    await expect(decide({ cookie: 'admin', url: '/api/v1/devices//terminal' })).resolves.toMatchObject({ status: 404 });
    const bad = [
      ['/api/v1/devices/X/terminal?as=admin', 'as must be root or user'],
      ['/api/v1/devices/X/terminal?cols=0', 'cols must be a whole number from 1 to 1000'],
      ['/api/v1/devices/X/terminal?rows=1001', 'rows must be a whole number from 1 to 1000'],
      ['/api/v1/devices/X/terminal?cols=1e2', 'cols must be a whole number from 1 to 1000'],
      ['/api/v1/devices/%E0%A4%A/terminal', 'the device id is missing or too long'],
    ];
    for (const [url, message] of bad) {
      await expect(decide({ cookie: 'admin', url }), url).resolves.toEqual({ ok: false, status: 400, message });
    }
  });
});
