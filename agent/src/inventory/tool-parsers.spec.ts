import { describe, expect, it } from 'vitest';
import { parseClamavVersion, parseCvdHeader } from './clamav-parser.js';
import { fixture } from './fixtures/fixture.js';
import { parseLpstat } from './lpstat-parser.js';
import { parseMmcliList, parseMmcliModem, parseMmcliSimIccid } from './mmcli-parser.js';
import { parseRealmList } from './realm-parser.js';

describe('parseLpstat', () => {
  it('reads queues, their state and the default (recorded, cupsd 2.4)', () => {
    expect(parseLpstat(fixture('lpstat.recorded.txt'))).toEqual([
      { name: 'Accueil-RDC', uri: 'ipp://192.0.2.10/ipp/print', state: 'idle', enabled: true, isDefault: false },
      { name: 'Compta', uri: 'lpd://192.0.2.12/queue', state: 'disabled', enabled: false, isDefault: false },
      { name: 'Office', uri: 'socket://192.0.2.11:9100', state: 'idle', enabled: true, isDefault: true },
    ]);
  });

  it('reads no queue (recorded)', () => {
    const stdout = fixture('lpstat-no-queue.recorded.txt')
      .split('\n')
      .filter((l) => !l.startsWith('lpstat:'))
      .join('\n');
    expect(parseLpstat(stdout)).toEqual([]);
  });

  it('throws on garbage', () => {
    expect(() => parseLpstat(fixture('lpstat-no-scheduler.recorded.txt'))).toThrow(/lpstat/);
  });
});

describe('parseRealmList', () => {
  it('reads a joined Active Directory realm', () => {
    expect(parseRealmList(fixture('realm-list.documented.txt'))).toEqual([
      {
        name: 'mairie.local',
        domain: 'mairie.local',
        type: 'kerberos',
        configured: 'kerberos-member',
        clientSoftware: 'sssd',
        serverSoftware: 'active-directory',
        loginFormats: '%U@mairie.local',
        loginPolicy: 'allow-permitted-logins',
        permittedLogins: ['alice@mairie.local', 'bob@mairie.local'],
        permittedGroups: ['GG-Informatique', 'GG-Accueil'],
      },
    ]);
    expect(parseRealmList('')).toEqual([]);
  });

  it('throws on garbage (recorded: realmd without D-Bus prints an error, not a realm)', () => {
    expect(() => parseRealmList('  weird: x\n')).toThrow(/realm list/);
  });
});

describe('ClamAV', () => {
  it('reads engine, signature version and date', () => {
    expect(parseClamavVersion(fixture('clamscan.documented.txt'))).toEqual({
      version: '1.0.7',
      signatureVersion: '27469',
      signatureDate: '2026-11-24T09:31:07.000Z',
    });
    expect(parseClamavVersion(fixture('clamscan-no-database.recorded.txt'))).toEqual({ version: '1.4.6' });
  });

  it('reads the daily database header', () => {
    const header = Buffer.from(
      'ClamAV-VDB:24 Nov 2026 09-31 +0100:27469:2071322:90:abc:sig:raynman:1732437060'.padEnd(512),
    );
    expect(parseCvdHeader(header)).toEqual({ signatureVersion: '27469', signatureDate: '2026-11-24T08:31:00.000Z' });
    expect(parseCvdHeader(Buffer.from('not a cvd'))).toBeUndefined();
  });

  it('throws on garbage', () => {
    expect(() => parseClamavVersion('LibClamAV Error: cli_loaddb(): No supported database files found\n')).toThrow(
      /clamscan/,
    );
  });
});

describe('mmcli', () => {
  it('reads the modem list, a modem and its SIM', () => {
    expect(parseMmcliList(fixture('mmcli-list.documented.json.txt'))).toEqual(['0']);
    expect(parseMmcliModem('0', fixture('mmcli-modem.documented.json.txt'))).toEqual({
      id: '0',
      manufacturer: 'Sierra Wireless, Incorporated',
      model: 'EM7455',
      imei: '356938035643809',
      state: 'registered',
      operator: 'Orange F',
      operatorCode: '20801',
      registration: 'home',
      signalPercent: 67,
      accessTech: ['lte'],
      simPath: '/org/freedesktop/ModemManager1/SIM/0',
    });
    expect(parseMmcliSimIccid(fixture('mmcli-sim.documented.json.txt'))).toBe('8933011234567890123');
    expect(parseMmcliList('{"modem-list":[]}')).toEqual([]);
  });

  it('throws on garbage', () => {
    expect(() => parseMmcliList("error: couldn't find the ModemManager process in the bus\n")).toThrow(/mmcli/);
    expect(() => parseMmcliModem('0', '{"modem":{}}')).toThrow(/generic/);
  });
});
