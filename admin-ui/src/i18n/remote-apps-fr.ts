/** French messages of the `remote-apps` policy form (spread into config-fr.ts). */
export const remoteAppsPolicyFr = {
  fields: {
    users: 'Comptes des utilisateurs',
    apps: 'Applications Windows',
    id: 'Identifiant (nomme les fichiers)',
    name: 'Nom dans le menu',
    server: 'Serveur de bureau à distance',
    program: 'Programme à lancer',
    workingDir: 'Dossier de travail',
    domain: 'Domaine Windows',
    username: 'Compte Windows',
    gateway_server: 'Passerelle RD (facultative)',
    gateway_domain: 'Domaine de la passerelle',
    gateway_username: 'Compte sur la passerelle',
  },
  users_help:
    'Un compte par ligne (jdupont). Chacun reçoit les profils Remmina et les raccourcis dans son menu, dès qu’il a un dossier personnel sur le poste.',
  id_help: 'Lettres minuscules, chiffres et tirets, par exemple ciril-finances.',
  name_help: 'Par exemple « Ciril Finances (Windows) ».',
  server_help: 'Nom ou adresse du serveur RDS, avec :port si besoin.',
  program_help: 'Par exemple C:\\Program Files\\Ciril\\finances.exe ; vide : le bureau Windows entier.',
  username_help: '%u est remplacé par le compte de l’utilisateur du poste.',
  no_password: 'Aucun mot de passe n’est enregistré : Remmina le demande à chaque connexion et ne le conserve pas.',
};

/** The remote-apps schema's messages (protocol/src/remote-apps.ts), by key (policy-data-provider.ts). */
export const remoteAppsSchemaErrorsFr = {
  ra_host: 'Un nom de serveur est attendu, éventuellement suivi de :port.',
  ra_account_template: 'Un nom de compte sans espace est attendu (%u désigne l’utilisateur du poste).',
  ra_one_line: 'La valeur doit tenir sur une ligne.',
  ra_id: 'Identifiant : lettres minuscules, chiffres et tirets (il nomme les fichiers).',
  ra_account: 'Un nom de compte est attendu, par exemple jdupont.',
  ra_duplicate_id: 'Deux applications ont le même identifiant.',
};
