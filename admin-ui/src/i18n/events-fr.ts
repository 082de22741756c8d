/** `bascule.events`: the device's events tab (spread into fr.ts; events-en.ts holds the same keys). */
export const eventsFr = {
  tab: 'Événements',
  none: 'Aucun événement reçu de ce poste.',
  ts: 'Date',
  type: 'Événement',
  detail: 'Détail',
  all_types: 'Tous',
  types: {
    antivirus_scan_started: 'Analyse antivirus commencée',
    antivirus_scan_progress: 'Analyse antivirus en cours',
    antivirus_scan_finished: 'Analyse antivirus terminée',
    antivirus_quarantine_restored: 'Fichier restauré de la quarantaine',
  },
};
