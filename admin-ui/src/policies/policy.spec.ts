import { describe, expect, it } from 'vitest';
import { DEFAULT_DOCUMENTS, documentFor } from './policy.js';

describe('documentFor', () => {
  it('drops what react-admin leaves for emptied inputs and keeps a PPD model only for a PPD driver', () => {
    const form = {
      printers: [
        {
          name: 'Accueil',
          uri: 'ipp://p/ipp/print',
          driver: { kind: 'everywhere', model: 'left over' },
          location: null,
          description: '',
          options: { duplex: null, color: false },
        },
        { name: 'Compta', uri: 'socket://10.0.0.9', driver: { kind: 'ppd', model: 'Kyocera ECOSYS' }, options: {} },
      ],
      default: null,
      // What a form switched from ad-join still holds.
      domain: 'corp.example.fr',
      permitGroups: [],
    };
    expect(documentFor('printers', form)).toEqual({
      printers: [
        { name: 'Accueil', uri: 'ipp://p/ipp/print', driver: { kind: 'everywhere' }, options: { color: false } },
        { name: 'Compta', uri: 'socket://10.0.0.9', driver: { kind: 'ppd', model: 'Kyocera ECOSYS' }, options: {} },
      ],
    });
  });

  it('keeps only the ad-join fields, with an empty list of permitted groups when none is given', () => {
    const form = { domain: 'corp.example.fr', ou: '', fullyQualifiedNames: false, mkhomedir: true, printers: [] };
    expect(documentFor('ad-join', form)).toEqual({
      domain: 'corp.example.fr',
      permitGroups: [],
      fullyQualifiedNames: false,
      mkhomedir: true,
    });
  });

  it('keeps only the remote-shell fields', () => {
    const form = { enabled: false, consent: 'always', consentTimeoutSeconds: 45, domain: '', printers: [] };
    expect(documentFor('remote-shell', form)).toEqual({ enabled: false, consent: 'always', consentTimeoutSeconds: 45 });
  });

  it('keeps only the wwan-failover fields, the PIN placeholder as it came, no IMEI for the first modem', () => {
    const form = {
      ...DEFAULT_DOCUMENTS['wwan-failover'],
      modem: { select: 'first', imei: '356938035643809' },
      apn: 'orange.fr',
      operator: '20801',
      simPin: '[secret]',
      username: null,
      printers: [],
    };
    expect(documentFor('wwan-failover', form)).toEqual({
      modem: { select: 'first' },
      apn: 'orange.fr',
      simPin: '[secret]',
      operator: '20801',
      homeOnly: true,
      mode: 'passive',
      downAfterSeconds: 10,
      upAfterSeconds: 60,
      routeMetric: 700,
      monthlyCapMiB: 0,
      monthStartDay: 1,
    });
  });
});
