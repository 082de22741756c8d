import type { accountsErrorsFr, accountsFr, auditResourceFr } from './accounts-fr.js';

/** English messages of the account screens and the audit log (same keys as accounts-fr.ts). */
export const auditResourceEn: typeof auditResourceFr = {
  name: 'Audit log |||| Audit log',
  fields: {
    id: 'No.',
    ts: 'Date',
    actor: 'Actor',
    action: 'Action',
    target: 'Target',
    detail: 'Detail',
    before: 'Before',
    after: 'After',
    since: 'From',
    until: 'Until',
  },
};

export const accountsEn: typeof accountsFr = {
  totp: {
    title: 'Two-factor authentication (TOTP)',
    help: 'At sign-in, after the password, a 6-digit code from an authenticator app (FreeOTP, Aegis, Google Authenticator…).',
    enabled: 'On since %{date}. Recovery codes left: %{count}.',
    disabled: 'Off.',
    required: 'Your organisation requires two-factor authentication: turn it on to continue.',
    enrol: 'Turn on',
    enrol_again: 'Move to a new phone',
    scan: 'Scan this code with your app, or type the key: %{secret}',
    code: '6-digit code',
    confirm: 'Confirm',
    cancel: 'Cancel',
    recovery_title: 'Recovery codes',
    recovery_help:
      'Write these 10 codes down and keep them safe: each one replaces the phone’s code once. They will not be shown again.',
    recovery_done: 'I have written my codes down',
    confirmed: 'Two-factor authentication is on.',
    login_code: 'App code or recovery code',
    login_help: 'Type the 6-digit code your authenticator app shows.',
    login_submit: 'Submit',
    login_back: 'Back',
    wrong_code: 'Wrong or already used code.',
    expired: 'Sign-in expired: type your password again.',
    reset: 'Reset two-factor authentication',
    reset_confirm_title: 'Reset the two-factor authentication of %{username}?',
    reset_confirm_content:
      'Their app and recovery codes stop working and their sessions are closed. If two-factor authentication is required, they will have to turn it on again.',
    reset_done: 'Two-factor authentication reset.',
    user_enabled: 'Two-factor authentication: on',
    user_disabled: 'Two-factor authentication: off',
  },
  account_settings: {
    title: 'Account security',
    require_totp: 'Require two-factor authentication for administrators and helpdesk',
    saved: 'Setting saved.',
  },
  audit: {
    menu: 'Audit log',
    export: 'Export (CSV)',
    no_change: 'No value changed',
  },
};

export const accountsErrorsEn: typeof accountsErrorsFr = {
  TOTP_ENROLMENT_REQUIRED: 'Turn on two-factor authentication on your profile to continue.',
  TOTP_WRONG_CODE: 'This code does not match: check the time of your phone.',
  TOTP_NO_ENROLMENT: 'Turn on two-factor authentication first.',
};
