import type { SystemInfo } from './system-info.js';

/** A SystemInfo for tests: a Dell desktop on Zorin OS with one wired interface; override any call. */
export function fakeSi(overrides: Partial<SystemInfo> = {}): SystemInfo {
  const base: SystemInfo = {
    system: async () => ({
      manufacturer: 'Dell Inc.',
      model: 'OptiPlex 7010',
      version: '',
      serial: 'ABC123',
      uuid: 'AA-BB',
      sku: '',
      virtual: false,
    }),
    bios: async () => ({ vendor: 'Dell', version: '1.2', releaseDate: '2024-01-01', revision: '' }),
    baseboard: async () => ({
      manufacturer: 'Dell',
      model: '0X1',
      version: '',
      serial: '-',
      assetTag: '',
      memMax: null,
      memSlots: null,
    }),
    cpu: async () =>
      ({ manufacturer: 'Intel', brand: 'Core i5', cores: 4, physicalCores: 4, speed: 3.1, speedMax: 4.2 }) as never,
    memLayout: async () => [{ size: 8 * 2 ** 30, bank: 'DIMM1', type: 'DDR4', clockSpeed: 3200 } as never],
    diskLayout: async () => [
      {
        device: '/dev/nvme0n1',
        type: 'NVMe',
        name: 'PM991',
        vendor: 'Samsung',
        serialNum: 'S1',
        size: 256e9,
        interfaceType: 'PCIe',
      } as never,
    ],
    osInfo: async () =>
      ({
        platform: 'linux',
        distro: 'Zorin OS',
        release: '17.3',
        codename: 'jammy',
        kernel: '6.8.0',
        arch: 'x64',
        hostname: 'pc-1',
        fqdn: 'pc-1.mairie.local',
      }) as never,
    networkInterfaces: async () => [
      { iface: 'lo', internal: true } as never,
      {
        iface: 'enp1s0',
        mac: '00:11:22:33:44:55',
        ip4: '10.0.0.5',
        ip6: 'fe80::1',
        type: 'wired',
        speed: 1000,
        operstate: 'up',
        virtual: false,
        internal: false,
      } as never,
    ],
    defaultGateway: async () => '10.0.0.1',
    totalMemoryBytes: () => 8 * 2 ** 30,
    uefi: () => true,
  };
  return { ...base, ...overrides };
}
