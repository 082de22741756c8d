/** French messages of volunteer sign-up: IT's triage screens and the public form (spread into fr.ts). */
export const volunteersResourcesFr = {
  'registry/volunteers': {
    name: 'Volontaire |||| Volontaires',
    fields: {
      createdAt: 'Reçue le',
      name: 'Nom',
      departmentId: 'Service',
      machine: 'Poste',
      constraints: 'Logiciels métier',
      email: 'Courriel',
      state: 'État',
      decidedBy: 'Traitée par',
      machineId: 'Machine du registre',
      refusalReason: 'Motif du refus',
    },
  },
};

export const volunteersFr = {
  states: { waiting: 'En attente', accepted: 'Acceptée', refused: 'Refusée' },
  accept: 'Accepter',
  refuse: 'Refuser',
  accept_title: 'Accepter la demande de %{name} ?',
  accept_content: 'Le poste du registre devient « candidat » avec %{name} comme utilisateur principal.',
  accept_choose:
    'Aucun poste du registre ne correspond à « %{machine} » (ou plusieurs) : indiquez l’identifiant de la machine.',
  machine_id: 'Identifiant de la machine du registre',
  refuse_title: 'Refuser la demande de %{name} ?',
  refuse_reason: 'Motif (facultatif, visible du service informatique seulement)',
  accepted: 'Demande acceptée : le poste est candidat.',
  refused: 'Demande refusée.',
  matches: '%{smart_count} poste correspondant |||| %{smart_count} postes correspondants',
  no_match: 'Aucun poste correspondant',
  campaign: {
    create: 'Créer un lien d’inscription',
    name: 'Nom de l’appel (vu par les agents)',
    created: 'Lien créé. Copiez-le maintenant : il ne sera plus affiché.',
    copy: 'Copier le lien',
    close: 'Fermer',
  },
  form: {
    title: 'Devenir volontaire pour Linux',
    intro:
      'Vous souhaitez essayer Linux sur votre poste de travail ? Laissez vos coordonnées : le service informatique vous recontactera. Vous ne vous engagez à rien.',
    name: 'Nom et prénom',
    department: 'Service',
    no_department: 'Je ne sais pas',
    machine: 'Votre poste (nom ou numéro d’inventaire, sur l’étiquette)',
    constraints: 'Logiciels métier que vous utilisez (par exemple : Ciril, Word, un site de l’État…)',
    email: 'Courriel (facultatif)',
    honeypot: 'Ne pas remplir ce champ',
    send: 'Envoyer ma demande',
    sending: 'Envoi…',
    sent_title: 'Merci !',
    sent: 'Votre demande est enregistrée. Le service informatique vous recontactera.',
    invalid_link: 'Ce lien n’est pas valide (ou plus). Demandez le bon lien au service informatique.',
    too_many: 'Trop de demandes depuis ce poste : réessayez dans une heure.',
    too_fast: 'Envoi trop rapide : relisez le formulaire puis envoyez-le à nouveau.',
    stale: 'Le formulaire a expiré : rechargez la page.',
    error: 'La demande n’a pas pu être envoyée : %{message}',
  },
};
