import { api } from '../providers/http-client.js';

/** `GET /api/v1/account/totp` (docs/rest-api.md). */
export interface TotpStatus {
  enabled: boolean;
  enabledAt: string | null;
  recoveryCodesLeft: number;
}

export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

export const accountTotp = {
  async status(): Promise<TotpStatus> {
    return (await api('/account/totp')).json as TotpStatus;
  },
  async begin(): Promise<TotpEnrolment> {
    return (await api('/account/totp/enrolment', { method: 'POST' })).json as TotpEnrolment;
  },
  async confirm(code: string): Promise<{ recoveryCodes: string[] }> {
    return (await api('/account/totp/confirm', { method: 'POST', body: JSON.stringify({ code }) })).json as {
      recoveryCodes: string[];
    };
  },
};
