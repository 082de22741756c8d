import type { InventorySectionData } from '@bascule/protocol';

/** A Zorin OS desktop in a town hall, every section filled, as the hub stores it (for tests). */
export const SAMPLE_SECTIONS: InventorySectionData = {
  hardware: {
    manufacturer: 'Dell Inc.',
    model: 'OptiPlex 7010',
    serial: '8XK2M93',
    uuid: '4c4c4544-0058-4b10-8032-b8c04f4d3933',
    bios: { vendor: 'Dell Inc.', version: '1.22.0', releaseDate: '2024-03-12', uefi: true },
    baseboard: { manufacturer: 'Dell Inc.', model: '0KRC95', serial: '/8XK2M93/CNCMK0043A00B1/' },
    cpu: { manufacturer: 'Intel', brand: 'Core™ i5-3470', cores: 4, physicalCores: 4, speedGHz: 3.6 },
    memory: {
      totalBytes: 8 * 2 ** 30,
      modules: [
        { sizeBytes: 4 * 2 ** 30, type: 'DDR3', speedMHz: 1600, slot: 'DIMM1' },
        { sizeBytes: 4 * 2 ** 30, type: 'DDR3', speedMHz: 1600, slot: 'DIMM2' },
      ],
    },
    disks: [
      {
        device: '/dev/nvme0n1',
        type: 'NVMe',
        name: 'PM991 NVMe Samsung 256GB',
        vendor: 'Samsung',
        serial: 'S4DXNF0N123456',
        sizeBytes: 256060514304,
        interface: 'PCIe',
        smart: { passed: true, powerOnHours: 4231, temperatureC: 36, wearPercent: 3 },
      },
    ],
    gpus: [
      {
        vendor: 'Intel Corporation',
        model: 'Xeon E3-1200 v2/3rd Gen Core processor Graphics Controller',
        driver: 'i915',
        busId: '00:02.0',
      },
    ],
    monitors: [
      {
        connector: 'DP-1',
        manufacturer: 'DEL',
        model: 'DELL P2422H',
        serial: 'CFV9N2A3B1XL',
        productCode: 41204,
        manufactureYear: 2022,
      },
    ],
    batteries: [
      {
        name: 'BAT0',
        manufacturer: 'SMP',
        model: 'DELL 7FJ9270',
        serial: '3115',
        technology: 'Li-ion',
        healthPercent: 55,
        cycleCount: 412,
        designCapacityWh: 56,
        fullCapacityWh: 30.8,
      },
    ],
  },
  os: {
    platform: 'linux',
    distro: 'Zorin OS',
    release: '17.3',
    codename: 'jammy',
    kernel: '6.8.0-49-generic',
    arch: 'x64',
    hostname: 'accueil-01',
    fqdn: 'accueil-01.mairie.local',
    distroId: 'zorin',
    edition: 'Pro',
    sessionType: 'wayland',
    lastBoot: '2026-11-25T07:40:00.000Z',
    timezone: 'Europe/Paris',
    locale: 'fr_FR.UTF-8',
  },
  network: {
    interfaces: [
      {
        name: 'enp1s0',
        mac: '00:11:22:33:44:55',
        ipv4: ['10.0.12.34'],
        ipv6: ['2001:db8::1234'],
        type: 'wired',
        speedMbps: 1000,
        up: true,
        virtual: false,
      },
      {
        name: 'wlp2s0',
        mac: '66:77:88:99:aa:bb',
        ipv4: [],
        ipv6: [],
        type: 'wireless',
        speedMbps: null,
        up: false,
        virtual: false,
      },
      { name: 'wwan0', ipv4: ['100.64.1.2'], ipv6: [], up: true, virtual: false },
    ],
    defaultGateway: '10.0.12.1',
    defaultInterface: 'enp1s0',
    dnsServers: ['10.0.0.10', '10.0.0.11'],
    wifi: { interface: 'wlp2s0', ssid: 'Mairie:Agents', signalPercent: 72, frequencyMHz: 5180 },
  },
  software: {
    packages: [
      { name: 'bash', version: '5.1-6ubuntu1.1', source: 'dpkg', arch: 'amd64', origin: 'Ubuntu Developers' },
      { name: 'zorin-os-pro-desktop', version: '17.3.1', source: 'dpkg', arch: 'all', origin: 'Zorin OS' },
      { name: 'firefox', version: '132.0.2-1', source: 'snap', origin: 'mozilla' },
      {
        name: 'org.libreoffice.LibreOffice',
        version: '24.8.3.2',
        source: 'flatpak',
        arch: 'x86_64',
        origin: 'flathub',
      },
    ],
    updates: {
      count: 2,
      security: 1,
      pending: [
        { name: 'firefox', version: '1:1snap1-0ubuntu2', security: false },
        { name: 'libssl3', version: '3.0.2-0ubuntu1.18', security: true },
      ],
    },
    rebootRequired: { required: true, since: '2026-11-20T08:00:00.000Z', packages: ['linux-image-6.8.0-49-generic'] },
  },
  users: {
    accounts: [
      {
        name: 'admin-local',
        uid: 1000,
        fullName: 'Administrateur local',
        home: '/home/admin-local',
        shell: '/bin/bash',
      },
    ],
    loggedIn: [{ name: 'alice@mairie.local', type: 'wayland', remote: false, since: 'Wed 2026-11-25 08:01:02 CET' }],
    lastLogins: [{ name: 'alice@mairie.local', terminal: 'tty2', host: 'tty2', at: '2026-11-25T08:01:02' }],
    domainUsers: ['alice@mairie.local', 'bob@mairie.local'],
  },
  printers: {
    queues: [
      { name: 'Accueil-RDC', uri: 'ipp://10.0.12.200/ipp/print', state: 'idle', enabled: true, isDefault: true },
      { name: 'PDF', uri: 'cups-pdf:/', state: 'idle', enabled: true, isDefault: false },
    ],
    schedulerRunning: true,
  },
  domain: {
    realms: [
      {
        name: 'mairie.local',
        domain: 'mairie.local',
        type: 'kerberos',
        configured: 'kerberos-member',
        clientSoftware: 'sssd',
        serverSoftware: 'active-directory',
        loginFormats: '%U@mairie.local',
        loginPolicy: 'allow-realm-logins',
      },
    ],
  },
  antivirus: {
    products: [
      {
        name: 'ClamAV',
        version: '1.0.7',
        signatureVersion: '27469',
        signatureDate: '2026-11-24T09:31:07.000Z',
        daemon: true,
      },
    ],
  },
  modem: {
    modems: [
      {
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
        iccid: '8933011234567890123',
      },
    ],
  },
};
