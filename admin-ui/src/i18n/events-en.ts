import type { eventsFr } from './events-fr.js';

/** `bascule.events` in English. */
export const eventsEn: typeof eventsFr = {
  tab: 'Events',
  none: 'No event received from this device.',
  ts: 'Date',
  type: 'Event',
  detail: 'Detail',
  all_types: 'All',
  types: {
    antivirus_scan_started: 'Antivirus scan started',
    antivirus_scan_progress: 'Antivirus scan in progress',
    antivirus_scan_finished: 'Antivirus scan finished',
    antivirus_quarantine_restored: 'File restored from quarantine',
  },
};
