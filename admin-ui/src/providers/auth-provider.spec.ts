import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { authProvider, CHANGE_PASSWORD_PATH, TOTP_ENROLMENT_PATH, TotpRequired } from './auth-provider.js';
import { PASSWORD_CHANGE_REQUIRED } from './http-client.js';

/** The hub as seen through fetch: one JSON answer per call, in order; every request recorded. */
function hub(...answers: Array<{ status: number; body?: unknown }>) {
  const calls: Array<{ url: string; method: string; credentials?: RequestCredentials; body?: unknown }> = [];
  const fetch = vi.fn(async (url: string, init: RequestInit = {}) => {
    calls.push({
      url,
      method: init.method ?? 'GET',
      credentials: init.credentials,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const answer = answers.shift() ?? { status: 500, body: { message: 'no more answers' } };
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetch);
  return calls;
}

const admin = { id: 'u1', username: 'admin', role: 'admin', mustChangePassword: false };

describe('authProvider', () => {
  beforeEach(async () => {
    // Start every test signed out, with an empty identity cache.
    hub({ status: 204 });
    await authProvider.logout();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('logs in with the session cookie and sends a user who must change their password to the form', async () => {
    const calls = hub({ status: 200, body: { ...admin, mustChangePassword: true } });
    await expect(authProvider.login({ username: 'admin', password: 'x' })).resolves.toEqual({
      redirectTo: CHANGE_PASSWORD_PATH,
    });
    expect(calls[0]).toMatchObject({
      url: '/api/v1/auth/login',
      method: 'POST',
      credentials: 'include',
      body: { username: 'admin', password: 'x' },
    });
  });

  it('signs in in two steps when the account has TOTP, and sends one that must enrol to the profile', async () => {
    const calls = hub(
      { status: 200, body: { totpRequired: true, challenge: 'ch-1' } },
      { status: 401, body: { message: 'wrong or already used code' } },
      { status: 200, body: { ...admin, totpEnrolmentRequired: true } },
    );
    const first = authProvider.login({ username: 'admin', password: 'x' });
    await expect(first).rejects.toBeInstanceOf(TotpRequired);
    await expect(first).rejects.toMatchObject({ challenge: 'ch-1' });
    await expect(authProvider.login({ challenge: 'ch-1', code: '123456' })).rejects.toThrow('bascule.totp.wrong_code');
    await expect(authProvider.login({ challenge: 'ch-1', code: '654321' })).resolves.toEqual({
      redirectTo: TOTP_ENROLMENT_PATH,
    });
    expect(calls[2]).toMatchObject({ url: '/api/v1/auth/login/totp', body: { challenge: 'ch-1', code: '654321' } });
  });

  it('turns 401 and 429 into messages a person can read', async () => {
    hub({ status: 401, body: { message: 'wrong credentials' } });
    await expect(authProvider.login({ username: 'a', password: 'b' })).rejects.toThrow('ra.auth.sign_in_error');
    hub({ status: 429, body: { message: 'slow down' } });
    await expect(authProvider.login({ username: 'a', password: 'b' })).rejects.toThrow(
      'bascule.auth.too_many_attempts',
    );
  });

  it('reads identity and role from /auth/me, asking the hub once for a burst of calls', async () => {
    const calls = hub({ status: 200, body: admin });
    await authProvider.checkAuth();
    await expect(authProvider.getIdentity()).resolves.toEqual({
      id: 'u1',
      fullName: 'admin',
      totpEnrolmentRequired: false,
    });
    await expect(authProvider.getPermissions()).resolves.toBe('admin');
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/auth/me']);
  });

  it('fails checkAuth quietly when signed out (the login page is the normal first screen)', async () => {
    hub({ status: 401, body: { message: 'sign in first' } });
    await expect(authProvider.checkAuth()).rejects.toEqual({ message: false });
  });

  it('logs out on 401, redirects to the password form on 403 PASSWORD_CHANGE_REQUIRED, stays on other 403', async () => {
    await expect(authProvider.checkError({ status: 401, body: {} })).rejects.toBeDefined();
    await expect(
      authProvider.checkError({ status: 403, body: { code: PASSWORD_CHANGE_REQUIRED, message: 'change it' } }),
    ).rejects.toEqual({ redirectTo: CHANGE_PASSWORD_PATH, logoutUser: false, message: false });
    await expect(authProvider.checkError({ status: 403, body: { message: 'admins only' } })).resolves.toBeUndefined();
    await expect(authProvider.checkError({ status: 500, body: {} })).resolves.toBeUndefined();
  });

  it('logs out on the hub, and does not fail when the session had already expired', async () => {
    const calls = hub({ status: 401, body: { message: 'sign in first' } });
    await expect(authProvider.logout()).resolves.toBeUndefined();
    expect(calls[0]).toMatchObject({ url: '/api/v1/auth/logout', method: 'POST', credentials: 'include' });
  });
});
