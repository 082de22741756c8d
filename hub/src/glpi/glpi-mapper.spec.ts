import { describe, expect, it } from 'vitest';
import { glpiDate, glpiDateTime, glpiTimezone, toGlpiInventory } from './glpi-mapper.js';
import { SAMPLE_SECTIONS } from './glpi-sample-inventory.js';

const device = {
  id: '01JD0EV1CE00000000000000AB',
  hostname: 'accueil-01',
  agentVersion: '0.1.0',
  enrolledAt: '2026-11-01T10:00:00.000Z',
};
const NOW = new Date('2026-11-25T12:00:00.000Z');

describe('toGlpiInventory', () => {
  const glpi = toGlpiInventory({ device, sections: SAMPLE_SECTIONS, updatedAt: '2026-11-25T11:58:00.000Z' }, NOW);
  const c = glpi.content;

  it('identifies the computer as glpi-agent would', () => {
    expect(glpi).toMatchObject({
      deviceid: 'accueil-01-01JD0EV1CE00000000000000AB',
      itemtype: 'Computer',
      action: 'inventory',
    });
    expect(c.versionclient).toBe('Bascule-Agent_v0.1.0');
    expect(c.accesslog).toEqual({ logdate: '2026-11-25 11:58:00' });
    expect(c.hardware).toEqual({
      name: 'accueil-01',
      uuid: '4c4c4544-0058-4b10-8032-b8c04f4d3933',
      memory: 8192,
      defaultgateway: '10.0.12.1',
      dns: '10.0.0.10/10.0.0.11',
      lastloggeduser: 'alice',
      datelastloggeduser: '2026-11-25 08:01:02',
      workgroup: 'mairie.local',
    });
    expect(c.bios).toMatchObject({
      bdate: '2024-03-12',
      smanufacturer: 'Dell Inc.',
      smodel: 'OptiPlex 7010',
      ssn: '8XK2M93',
    });
  });

  it('maps the OS with the Zorin edition and its timezone', () => {
    expect(c.operatingsystem).toEqual({
      name: 'Zorin OS',
      version: '17.3',
      full_name: 'Zorin OS Pro 17.3',
      kernel_name: 'linux',
      kernel_version: '6.8.0-49-generic',
      arch: 'x86_64',
      fqdn: 'accueil-01.mairie.local',
      dns_domain: 'mairie.local',
      boot_time: '2026-11-25 07:40:00',
      timezone: { name: 'GMT+1', offset: '+0100' },
    });
  });

  it('maps hardware parts: CPU in MHz, memory and disks in MiB, SMART, GPU, monitor, battery in mWh', () => {
    expect(c.cpus).toEqual([
      { name: 'Core™ i5-3470', manufacturer: 'Intel', core: 4, thread: 4, speed: 3600, arch: 'x86_64' },
    ]);
    expect(c.memories).toHaveLength(2);
    expect(c.storages).toEqual([
      expect.objectContaining({
        name: 'nvme0n1',
        disksize: 244198,
        serial: 'S4DXNF0N123456',
        description: 'SMART PASSED',
      }),
    ]);
    expect(c.videos).toEqual([expect.objectContaining({ chipset: 'Intel Corporation', pcislot: '00:02.0' })]);
    expect(c.monitors).toEqual([
      { name: 'DELL P2422H', caption: 'DELL P2422H', manufacturer: 'DEL', serial: 'CFV9N2A3B1XL', port: 'DP-1' },
    ]);
    expect(c.batteries).toEqual([
      {
        name: 'DELL 7FJ9270',
        manufacturer: 'SMP',
        serial: '3115',
        chemistry: 'Li-ion',
        capacity: 56000,
        real_capacity: 30800,
      },
    ]);
  });

  it('gives one network entry per address, with the gateway and the Wi-Fi SSID on their interface', () => {
    expect(c.networks).toEqual([
      expect.objectContaining({
        description: 'enp1s0',
        ipaddress: '10.0.12.34',
        ipgateway: '10.0.12.1',
        type: 'ethernet',
        status: 'up',
      }),
      expect.objectContaining({ description: 'enp1s0', ipaddress6: '2001:db8::1234' }),
      expect.objectContaining({ description: 'wlp2s0', type: 'wifi', wifi_ssid: 'Mairie:Agents', status: 'down' }),
      expect.objectContaining({ description: 'wwan0', ipaddress: '100.64.1.2' }),
    ]);
    expect(c.networks?.[3]).not.toHaveProperty('type');
  });

  it('maps software with its origin, users, printers, antivirus, modem and SIM', () => {
    expect(c.softwares?.map((s) => [s.name, s.from, s.publisher])).toEqual([
      ['bash', 'deb', 'Ubuntu Developers'],
      ['zorin-os-pro-desktop', 'deb', 'Zorin OS'],
      ['firefox', 'snap', 'mozilla'],
      ['org.libreoffice.LibreOffice', 'flatpak', 'flathub'],
    ]);
    expect(c.local_users).toEqual([
      { id: '1000', login: 'admin-local', name: 'Administrateur local', home: '/home/admin-local', shell: '/bin/bash' },
    ]);
    expect(c.users).toEqual([{ login: 'alice', domain: 'mairie.local' }]);
    expect(c.printers).toEqual([
      {
        name: 'Accueil-RDC',
        port: 'ipp://10.0.12.200/ipp/print',
        network: true,
        status: 'idle',
        comment: 'default printer',
      },
      { name: 'PDF', port: 'cups-pdf:/', network: false, status: 'idle' },
    ]);
    expect(c.antivirus).toEqual([
      {
        name: 'ClamAV',
        company: 'Cisco Talos',
        version: '1.0.7',
        enabled: true,
        base_version: '27469',
        base_creation: '2026-11-24',
        uptodate: true,
      },
    ]);
    expect(c.modems).toEqual([
      {
        name: 'EM7455',
        manufacturer: 'Sierra Wireless, Incorporated',
        model: 'EM7455',
        imei: '356938035643809',
        type: 'mobile',
      },
    ]);
    expect(c.simcards).toEqual([
      { iccid: '8933011234567890123', operator_code: '20801', operator_name: 'Orange F', state: 'home' },
    ]);
  });

  it('says signatures older than 3 days are out of date', () => {
    const later = toGlpiInventory(
      { device, sections: SAMPLE_SECTIONS, updatedAt: undefined },
      new Date('2026-11-28T10:00:00Z'),
    );
    expect(later.content.antivirus?.[0]?.uptodate).toBe(false);
  });

  it('leaves out what the device never sent', () => {
    const bare = toGlpiInventory(
      { device: { ...device, agentVersion: null }, sections: {}, updatedAt: undefined },
      NOW,
    );
    expect(bare).toEqual({
      deviceid: 'accueil-01-01JD0EV1CE00000000000000AB',
      itemtype: 'Computer',
      action: 'inventory',
      content: { versionclient: 'Bascule-Agent_vunknown', hardware: { name: 'accueil-01' } },
    });
  });
});

describe('GLPI dates', () => {
  it('formats dates and zones as GLPI wants them', () => {
    expect(glpiDateTime('2026-11-25T08:01:02.000Z')).toBe('2026-11-25 08:01:02');
    expect(glpiDateTime('Wed 2026-11-25')).toBeUndefined();
    expect(glpiDate('01/31/2024')).toBe('2024-01-31');
    expect(glpiDate('2024-01-31')).toBe('2024-01-31');
    expect(glpiDate('garbage')).toBeUndefined();
    expect(glpiTimezone('Europe/Paris', new Date('2026-07-01T00:00:00Z'))).toEqual({ name: 'GMT+2', offset: '+0200' });
    expect(glpiTimezone('UTC', NOW)).toEqual({ name: 'UTC', offset: '+0000' });
    expect(glpiTimezone('Not/AZone', NOW)).toBeUndefined();
  });
});
