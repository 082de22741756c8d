/**
 * French messages of the account screens (second factor, account settings) and of the audit log,
 * spread into fr.ts; accounts-en.ts holds the same keys.
 */

/** `resources.audit`: the audit log. */
export const auditResourceFr = {
  name: 'Journal d’audit |||| Journal d’audit',
  fields: {
    id: 'N°',
    ts: 'Date',
    actor: 'Auteur',
    action: 'Action',
    target: 'Cible',
    detail: 'Détail',
    before: 'Avant',
    after: 'Après',
    since: 'Depuis le',
    until: 'Jusqu’au',
  },
};

/** `bascule.totp`, `bascule.account_settings`, `bascule.audit`. */
export const accountsFr = {
  totp: {
    title: 'Double authentification (TOTP)',
    help: 'À la connexion, après le mot de passe, un code à 6 chiffres donné par une application d’authentification (FreeOTP, Aegis, Google Authenticator…).',
    enabled: 'Activée depuis le %{date}. Codes de secours restants : %{count}.',
    disabled: 'Non activée.',
    required: 'Votre organisation exige la double authentification : activez-la pour continuer.',
    enrol: 'Activer',
    enrol_again: 'Changer de téléphone',
    scan: 'Scannez ce code avec votre application, ou saisissez la clé : %{secret}',
    code: 'Code à 6 chiffres',
    confirm: 'Confirmer',
    cancel: 'Annuler',
    recovery_title: 'Codes de secours',
    recovery_help:
      'Notez ces 10 codes et rangez-les en lieu sûr : chacun remplace une fois le code du téléphone. Ils ne seront plus affichés.',
    recovery_done: 'J’ai noté mes codes',
    confirmed: 'Double authentification activée.',
    login_code: 'Code de l’application ou code de secours',
    login_help: 'Saisissez le code à 6 chiffres affiché par votre application d’authentification.',
    login_submit: 'Valider',
    login_back: 'Retour',
    wrong_code: 'Code incorrect ou déjà utilisé.',
    expired: 'Connexion expirée : saisissez de nouveau votre mot de passe.',
    reset: 'Réinitialiser la double authentification',
    reset_confirm_title: 'Réinitialiser la double authentification de %{username} ?',
    reset_confirm_content:
      'Son application et ses codes de secours ne fonctionneront plus ; ses sessions sont fermées. Si la double authentification est exigée, il devra l’activer de nouveau.',
    reset_done: 'Double authentification réinitialisée.',
    user_enabled: 'Double authentification : activée',
    user_disabled: 'Double authentification : non activée',
  },
  account_settings: {
    title: 'Sécurité des comptes',
    require_totp: 'Exiger la double authentification pour les administrateurs et l’assistance',
    saved: 'Réglage enregistré.',
  },
  audit: {
    menu: 'Journal d’audit',
    export: 'Exporter (CSV)',
    no_change: 'Aucune valeur modifiée',
  },
};

export const accountsErrorsFr = {
  TOTP_ENROLMENT_REQUIRED: 'Activez la double authentification sur votre profil pour continuer.',
  TOTP_WRONG_CODE: 'Ce code ne correspond pas : vérifiez l’heure de votre téléphone.',
  TOTP_NO_ENROLMENT: 'Commencez par activer la double authentification.',
};
