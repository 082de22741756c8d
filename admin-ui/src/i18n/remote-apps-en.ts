import type { remoteAppsPolicyFr, remoteAppsSchemaErrorsFr } from './remote-apps-fr.js';

/** English messages of the `remote-apps` policy form (spread into config-en.ts). */
export const remoteAppsPolicyEn: typeof remoteAppsPolicyFr = {
  fields: {
    users: 'User accounts',
    apps: 'Windows applications',
    id: 'Id (names the files)',
    name: 'Name in the menu',
    server: 'Remote desktop server',
    program: 'Program to start',
    workingDir: 'Working directory',
    domain: 'Windows domain',
    username: 'Windows account',
    gateway_server: 'RD Gateway (optional)',
    gateway_domain: 'Gateway domain',
    gateway_username: 'Gateway account',
  },
  users_help:
    'One account per line (jdupont). Each gets the Remmina profiles and the shortcuts in their menu, once they have a home directory on the desktop.',
  id_help: 'Lower-case letters, digits and dashes, for example ciril-finances.',
  name_help: 'For example "Ciril Finances (Windows)".',
  server_help: 'Name or address of the RDS server, with :port if needed.',
  program_help: 'For example C:\\Program Files\\Ciril\\finances.exe; empty: the whole Windows desktop.',
  username_help: '%u is replaced by the desktop user’s account.',
  no_password: 'No password is stored: Remmina asks for it at each connection and does not keep it.',
};

/** The remote-apps schema's messages, by key (policy-data-provider.ts). */
export const remoteAppsSchemaErrorsEn: typeof remoteAppsSchemaErrorsFr = {
  ra_host: 'Expected a server name, optionally followed by :port.',
  ra_account_template: 'Expected an account name without spaces (%u stands for the desktop user).',
  ra_one_line: 'The value must hold on one line.',
  ra_id: 'Id: lower-case letters, digits and dashes (it names the files).',
  ra_account: 'Expected an account name such as jdupont.',
  ra_duplicate_id: 'Two applications have the same id.',
};
