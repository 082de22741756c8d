import type { AuthProvider, UserIdentity } from 'react-admin';
import { api, isHttpError, PASSWORD_CHANGE_REQUIRED, TOTP_ENROLMENT_REQUIRED } from './http-client.js';

export type Role = 'admin' | 'helpdesk' | 'viewer';

/** `GET /auth/me` and `POST /auth/login` answer this. */
export interface Me {
  id: string;
  username: string;
  role: Role;
  mustChangePassword: boolean;
  totpEnabled?: boolean;
  /** The hub requires TOTP for this role and none is enrolled: only the profile page works. */
  totpEnrolmentRequired?: boolean;
}

/** Thrown by `login` when the password was right and the account's TOTP code is needed next. */
export class TotpRequired extends Error {
  constructor(readonly challenge: string) {
    super('bascule.totp.login_help');
  }
}

/** Where a user who must enrol TOTP is sent (the profile page holds the enrolment card). */
export const TOTP_ENROLMENT_PATH = '/profile';

export const CHANGE_PASSWORD_PATH = '/change-password';

/**
 * Who is signed in, asked of the hub at most once per second: react-admin calls
 * checkAuth, getIdentity and getPermissions together on every page change.
 */
class MeCache {
  private pending: Promise<Me> | undefined;
  private at = 0;

  get(): Promise<Me> {
    if (!this.pending || Date.now() - this.at > 1000) {
      this.at = Date.now();
      this.pending = api('/auth/me').then(({ json }) => json as Me);
      this.pending.catch(() => this.clear());
    }
    return this.pending;
  }

  set(me: Me): void {
    this.pending = Promise.resolve(me);
    this.at = Date.now();
  }

  clear(): void {
    this.pending = undefined;
  }
}

const me = new MeCache();

/** Forget the cached identity (after a password change the hub clears `mustChangePassword`). */
export function refreshMe(): Promise<Me> {
  me.clear();
  return me.get();
}

export const authProvider = {
  /** Password step (`{username, password}`), or TOTP step (`{challenge, code}`) after a TotpRequired. */
  async login(params: { username: string; password: string } | { challenge: string; code: string }) {
    const totpStep = 'challenge' in params;
    try {
      const { json } = totpStep
        ? await api('/auth/login/totp', { method: 'POST', body: JSON.stringify(params) })
        : await api('/auth/login', { method: 'POST', body: JSON.stringify(params) });
      const answer = json as Me | { totpRequired: true; challenge: string };
      if ('totpRequired' in answer) throw new TotpRequired(answer.challenge);
      me.set(answer);
      if (answer.mustChangePassword) return { redirectTo: CHANGE_PASSWORD_PATH };
      return answer.totpEnrolmentRequired ? { redirectTo: TOTP_ENROLMENT_PATH } : undefined;
    } catch (error) {
      if (isHttpError(error) && error.status === 429) throw new Error('bascule.auth.too_many_attempts');
      if (isHttpError(error) && error.status === 401) {
        throw new Error(totpStep ? 'bascule.totp.wrong_code' : 'ra.auth.sign_in_error');
      }
      throw error;
    }
  },

  async logout() {
    me.clear();
    try {
      await api('/auth/logout', { method: 'POST' });
    } catch (error) {
      // Already signed out (expired session): nothing left to undo on the hub.
      if (!isHttpError(error) || error.status !== 401) throw error;
    }
  },

  async checkAuth() {
    // Resolves for a user who must change their password: the hub answers their data
    // requests with 403 PASSWORD_CHANGE_REQUIRED and checkError sends them to the form.
    try {
      await me.get();
    } catch (error) {
      // Not signed in is the normal state on a first visit: go to the login page without an error toast.
      if (isHttpError(error) && error.status === 401) throw { message: false };
      throw error;
    }
  },

  async checkError(error: unknown) {
    if (!isHttpError(error)) return;
    if (error.status === 401) {
      me.clear();
      throw error;
    }
    if (error.status === 403 && error.body?.code === PASSWORD_CHANGE_REQUIRED) {
      throw { redirectTo: CHANGE_PASSWORD_PATH, logoutUser: false, message: false };
    }
    if (error.status === 403 && error.body?.code === TOTP_ENROLMENT_REQUIRED) {
      throw { redirectTo: TOTP_ENROLMENT_PATH, logoutUser: false, message: false };
    }
    // Any other 403 is a permission refusal: shown as a notification, the user stays signed in.
  },

  async getIdentity(): Promise<UserIdentity> {
    const user = await me.get();
    return { id: user.id, fullName: user.username, totpEnrolmentRequired: user.totpEnrolmentRequired === true };
  },

  async getPermissions() {
    try {
      return (await me.get()).role;
    } catch {
      // Signed out: no permission; checkAuth handles the redirect to the login page.
      return undefined;
    }
  },
} satisfies AuthProvider;
