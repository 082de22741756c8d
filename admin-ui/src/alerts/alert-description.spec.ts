import { describe, expect, it } from 'vitest';
import { formatBytes, formatDateTime, formatNumber, formatPercent } from '../format/format.js';
import { en } from '../i18n/en.js';
import { fr } from '../i18n/fr.js';
import type { Alert } from './alert.js';
import { describeAlert } from './alert-description.js';

/** A tiny polyglot: %{placeholders} and "one |||| many" by smart_count, as react-admin's provider does. */
function translator(catalog: object) {
  return (key: string, options: Record<string, unknown> = {}) => {
    const message = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], catalog);
    if (typeof message !== 'string') throw new Error(`missing ${key}`);
    const forms = message.split(' |||| ');
    const n = options.smart_count;
    const chosen = typeof n === 'number' && n !== 1 && forms[1] ? forms[1] : (forms[0] as string);
    return chosen.replace(/%\{(\w+)\}/g, (_, name: string) => String(options[name]));
  };
}

const formats = (locale: string) => ({
  bytes: (n: number | null | undefined) => formatBytes(n, locale),
  percent: (r: number | null | undefined) => formatPercent(r, locale),
  number: (n: number | null | undefined, d?: number) => formatNumber(n, locale, d),
  dateTime: (iso: string | null | undefined) => formatDateTime(iso, locale, 'Europe/Paris'),
});
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

const alert = (over: Partial<Alert>): Alert => ({
  id: 'a1',
  deviceId: 'd1',
  hostname: 'compta-03',
  department: 'Comptabilité',
  type: 'disk-full',
  subject: '/home',
  state: 'open',
  message: '/home is 96 % full',
  detail: {},
  openedAt: '2026-11-25T13:00:00Z',
  updatedAt: '2026-11-25T13:00:00Z',
  acknowledgedBy: null,
  acknowledgedAt: null,
  resolvedAt: null,
  ...over,
});

describe('describeAlert', () => {
  const tFr = translator(fr);
  const fFr = formats('fr-FR');

  it('says each type with its subject and numbers, in French', () => {
    const disk = alert({
      detail: { mount: '/home', usedPercent: 96.2, usedBytes: 7.7 * 1024 ** 3, sizeBytes: 8 * 1024 ** 3 },
    });
    expect(plain(describeAlert(disk, tFr, fFr))).toBe('/home rempli à 96 % (7,7 Go sur 8 Go)');
    expect(
      plain(
        describeAlert(
          alert({ type: 'failed-unit', subject: 'cups.service', detail: { unit: 'cups.service' } }),
          tFr,
          fFr,
        ),
      ),
    ).toBe('Le service systemd « cups.service » est en échec');
    expect(
      plain(
        describeAlert(
          alert({ type: 'offline', subject: '', detail: { days: 4, lastSeenAt: '2026-11-21T08:30:00Z' } }),
          tFr,
          fFr,
        ),
      ),
    ).toBe('Aucun contact depuis 4 jours (le 21/11/2026 09:30)');
    expect(
      plain(describeAlert(alert({ type: 'battery-health', subject: '', detail: { healthPercent: 52 } }), tFr, fFr)),
    ).toBe('La batterie ne garde plus que 52 % de sa capacité d’origine');
    expect(
      describeAlert(
        alert({
          type: 'smart-failure',
          subject: '/dev/sda',
          detail: { device: '/dev/sda', model: 'WDC WD10', serial: 'X1' },
        }),
        tFr,
        fFr,
      ),
    ).toBe('Le disque /dev/sda (WDC WD10 · X1) échoue à son autotest SMART');
    expect(
      describeAlert(
        alert({
          type: 'antivirus-outdated',
          subject: 'ClamAV',
          detail: { product: 'ClamAV', signatureDate: '2026-11-20T06:00:00Z', days: 5 },
        }),
        tFr,
        fFr,
      ),
    ).toBe('Signatures ClamAV du 20/11/2026 07:00, vieilles de 5 jours');
    expect(
      describeAlert(
        alert({ type: 'reboot-required', subject: '', detail: { days: 1, since: '2026-11-24T10:00:00Z' } }),
        tFr,
        fFr,
      ),
    ).toBe('Redémarrage demandé depuis 1 jour (le 24/11/2026 11:00)');
    const detections = [
      { path: '/home/agent/eicar.com', signature: 'Win.Test.EICAR_HDB-1', action: 'quarantined' },
      { path: '/home/agent/b.com', signature: 'Win.Test.EICAR_HDB-1', action: 'reported' },
    ];
    const found = (count: number) =>
      alert({
        type: 'antivirus-detection',
        subject: 's1',
        detail: { count, finishedAt: '2026-12-03T09:00:00Z', detections: detections.slice(0, count) },
      });
    expect(describeAlert(found(1), tFr, fFr)).toBe(
      'Win.Test.EICAR_HDB-1 dans /home/agent/eicar.com (analyse du 03/12/2026 10:00)',
    );
    expect(describeAlert(found(2), tFr, fFr)).toBe(
      '2 fichiers infectés, dont Win.Test.EICAR_HDB-1 dans /home/agent/eicar.com (analyse du 03/12/2026 10:00)',
    );
    expect(
      plain(
        describeAlert(
          alert({
            type: 'antivirus-scan-error',
            subject: '',
            detail: { finishedAt: '2026-12-03T09:00:00Z', errors: ['/srv/absent: No such file or directory'] },
          }),
          tFr,
          fFr,
        ),
      ),
    ).toBe('L’analyse du 03/12/2026 10:00 a échoué : /srv/absent: No such file or directory');
  });

  it('in English too, and falls back to the hub message for a type it does not know', () => {
    const tEn = translator(en);
    const fEn = formats('en-GB');
    expect(
      plain(describeAlert(alert({ detail: { usedPercent: 91, usedBytes: 910, sizeBytes: 1000 } }), tEn, fEn)),
    ).toBe('/home is 91% full (910 bytes of 1,000 bytes)');
    const future = alert({ type: 'fan-stopped' as Alert['type'], message: 'fan 1 stopped' });
    expect(describeAlert(future, tEn, fEn)).toBe('fan 1 stopped');
  });

  it('says the 4G plan alert with the share used and the cap', () => {
    const wwan = alert({
      type: 'wwan-data-cap',
      subject: '',
      detail: { percentOfCap: 82.5, capMiB: 2048, bytes: 0.825 * 2048 * 1024 ** 2, since: '2026-12-01' },
    });
    expect(plain(describeAlert(wwan, tFr, fFr))).toMatch(
      /^Le lien 4G a consommé 83 % de son forfait mensuel \(1,7 Go sur 2 Go\)$/,
    );
  });

  it('has a French and an English label for every type and state', () => {
    for (const catalog of [fr, en]) {
      expect(Object.keys(catalog.resources.alerts.types).sort()).toEqual([
        'antivirus-detection',
        'antivirus-outdated',
        'antivirus-scan-error',
        'battery-health',
        'disk-full',
        'failed-unit',
        'offline',
        'reboot-required',
        'smart-failure',
        'wwan-data-cap',
      ]);
      expect(Object.keys(catalog.resources.alerts.states).sort()).toEqual(['acknowledged', 'open', 'resolved']);
    }
  });
});
