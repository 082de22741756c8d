import { z } from 'zod';
import type { InventorySectionName } from './constants.js';
import { envelopeSchema } from './envelope.js';

export { INVENTORY_SECTIONS, type InventorySectionName } from './constants.js';

/*
 * Compatibility: agents in the field send the fields of the first version only (hardware, os,
 * network, software with their first fields). Every field added since is optional, and a section an
 * agent does not know is simply absent from its messages.
 */

const text = z.string().max(4096);
const optText = text.optional();
const bytes = z.number().finite().nonnegative();
const percent = z.number().min(0).max(100);
/** An ISO 8601 date or date-time, as the source gave it (kept as text: the hub does not do date maths on it). */
const isoDate = z.string().max(64);

export const smartStatusSchema = z.object({
  /** smartctl's overall health self-assessment (`smart_status.passed`). */
  passed: z.boolean(),
  powerOnHours: z.number().int().nonnegative().optional(),
  temperatureC: z.number().optional(),
  /** NVMe `percentage_used`, or ATA wear levelling when the drive reports it. */
  wearPercent: z.number().nonnegative().optional(),
});

export const gpuSchema = z.object({ vendor: optText, model: optText, driver: optText, busId: optText });

/** From the EDID each connected display gives the kernel (/sys/class/drm/*\/edid). */
export const monitorSchema = z.object({
  connector: optText,
  /** Three-letter PNP id (`DEL`, `SAM`…). */
  manufacturer: optText,
  model: optText,
  serial: optText,
  productCode: z.number().int().nonnegative().optional(),
  manufactureYear: z.number().int().optional(),
});

export const batterySchema = z.object({
  name: text,
  manufacturer: optText,
  model: optText,
  serial: optText,
  technology: optText,
  /** Full-charge capacity as a share of the design capacity. */
  healthPercent: z.number().nonnegative().max(200).optional(),
  cycleCount: z.number().int().nonnegative().optional(),
  designCapacityWh: z.number().nonnegative().optional(),
  fullCapacityWh: z.number().nonnegative().optional(),
});

export const hardwareSectionSchema = z.object({
  manufacturer: optText,
  model: optText,
  serial: optText,
  uuid: optText,
  bios: z.object({ vendor: optText, version: optText, releaseDate: optText, uefi: z.boolean().optional() }),
  baseboard: z.object({ manufacturer: optText, model: optText, serial: optText }).optional(),
  cpu: z.object({
    manufacturer: optText,
    brand: optText,
    cores: z.number().int().nonnegative(),
    physicalCores: z.number().int().nonnegative(),
    speedGHz: z.number().nonnegative().optional(),
  }),
  memory: z.object({
    totalBytes: bytes,
    modules: z
      .array(
        z.object({ sizeBytes: bytes, type: optText, speedMHz: z.number().nonnegative().optional(), slot: optText }),
      )
      .max(64),
  }),
  disks: z
    .array(
      z.object({
        device: optText,
        type: optText,
        name: optText,
        vendor: optText,
        serial: optText,
        sizeBytes: bytes,
        interface: optText,
        /** Present when smartmontools is installed and the drive answers. */
        smart: smartStatusSchema.optional(),
      }),
    )
    .max(64),
  gpus: z.array(gpuSchema).max(16).optional(),
  monitors: z.array(monitorSchema).max(16).optional(),
  batteries: z.array(batterySchema).max(8).optional(),
});

export const osSectionSchema = z.object({
  platform: text,
  distro: text,
  release: text,
  codename: optText,
  kernel: text,
  arch: text,
  hostname: text,
  fqdn: optText,
  /** os-release `ID` (`zorin`, `ubuntu`, `debian`). */
  distroId: optText,
  /** Zorin OS edition when the machine runs Zorin: `Core`, `Pro`, `Lite`, `Education`. */
  edition: optText,
  /** Type of the active desktop session: `x11`, `wayland`, `tty`; absent when nobody is signed in. */
  sessionType: optText,
  lastBoot: isoDate.optional(),
  /** IANA name (`Europe/Paris`). */
  timezone: optText,
  /** System locale (`fr_FR.UTF-8`). */
  locale: optText,
});

export const wifiSchema = z.object({
  interface: optText,
  ssid: text,
  signalPercent: percent.optional(),
  frequencyMHz: z.number().nonnegative().optional(),
});

export const networkSectionSchema = z.object({
  interfaces: z
    .array(
      z.object({
        name: text,
        mac: optText,
        ipv4: z.array(text).max(64),
        ipv6: z.array(text).max(64),
        type: optText,
        speedMbps: z.number().nonnegative().nullable().optional(),
        up: z.boolean(),
        virtual: z.boolean(),
      }),
    )
    .max(256),
  defaultGateway: optText,
  /** Interface of the default route. */
  defaultInterface: optText,
  dnsServers: z.array(text).max(32).optional(),
  /** The Wi-Fi network the machine is connected to, when it is. */
  wifi: wifiSchema.optional(),
});

export const packageSchema = z.object({
  name: text,
  version: text,
  source: z.enum(['dpkg', 'snap', 'flatpak']),
  arch: optText,
  /** Who publishes it: the dpkg maintainer's name, the snap publisher, the flatpak remote. */
  origin: optText,
});

export const pendingUpdateSchema = z.object({
  name: text,
  version: text,
  /** Comes from a `*-security` pocket. */
  security: z.boolean(),
});

export const softwareSectionSchema = z.object({
  packages: z.array(packageSchema).max(50_000),
  /** Absent when apt could not tell (no apt, or its lists are being updated). */
  updates: z
    .object({
      count: z.number().int().nonnegative(),
      security: z.number().int().nonnegative(),
      pending: z.array(pendingUpdateSchema).max(5_000),
    })
    .optional(),
  /** /var/run/reboot-required: since when (the file's time) and for which packages. */
  rebootRequired: z
    .object({ required: z.boolean(), since: isoDate.optional(), packages: z.array(text).max(1_000) })
    .optional(),
});

export const usersSectionSchema = z.object({
  /** Local accounts of people (uid ≥ 1000, from /etc/passwd). */
  accounts: z
    .array(z.object({ name: text, uid: z.number().int(), fullName: optText, home: optText, shell: optText }))
    .max(5_000),
  /** Signed in now (logind sessions). */
  loggedIn: z
    .array(z.object({ name: text, type: optText, remote: z.boolean().optional(), since: isoDate.optional() }))
    .max(256),
  /** Latest logins first (wtmp), at most 50. */
  lastLogins: z.array(z.object({ name: text, terminal: optText, host: optText, at: isoDate })).max(50),
  /** Directory users who signed in on this machine (`user@domain` or `DOMAIN\user`). */
  domainUsers: z.array(text).max(5_000),
});

export const printersSectionSchema = z.object({
  /** false when CUPS is installed but its scheduler does not run (nothing can print). */
  schedulerRunning: z.boolean().optional(),
  queues: z
    .array(
      z.object({
        name: text,
        uri: optText,
        /** `idle`, `printing`, `disabled`. */
        state: optText,
        enabled: z.boolean().optional(),
        isDefault: z.boolean(),
      }),
    )
    .max(1_000),
});

export const domainSectionSchema = z.object({
  /** What `realm list` prints; empty when realmd is absent or the machine joined nothing. */
  realms: z
    .array(
      z.object({
        name: text,
        domain: optText,
        type: optText,
        configured: optText,
        clientSoftware: optText,
        serverSoftware: optText,
        loginFormats: optText,
        loginPolicy: optText,
        permittedLogins: z.array(text).max(1_000).optional(),
        permittedGroups: z.array(text).max(1_000).optional(),
      }),
    )
    .max(16),
});

export const antivirusSectionSchema = z.object({
  /** Empty when no known antivirus is installed. */
  products: z
    .array(
      z.object({
        name: text,
        version: optText,
        signatureVersion: optText,
        signatureDate: isoDate.optional(),
        /** The scanning daemon runs (`clamd`), or on-demand only. */
        daemon: z.boolean().optional(),
      }),
    )
    .max(8),
});

export const modemSectionSchema = z.object({
  /** Empty when ModemManager is absent or sees no modem. */
  modems: z
    .array(
      z.object({
        id: text,
        manufacturer: optText,
        model: optText,
        imei: optText,
        state: optText,
        operator: optText,
        operatorCode: optText,
        /** `home`, `roaming`, `searching`, `denied`, `idle`. */
        registration: optText,
        signalPercent: percent.optional(),
        accessTech: z.array(text).max(16),
        iccid: optText,
      }),
    )
    .max(8),
});

export const inventorySectionSchemas = {
  hardware: hardwareSectionSchema,
  os: osSectionSchema,
  network: networkSectionSchema,
  software: softwareSectionSchema,
  users: usersSectionSchema,
  printers: printersSectionSchema,
  domain: domainSectionSchema,
  antivirus: antivirusSectionSchema,
  modem: modemSectionSchema,
} as const satisfies Record<InventorySectionName, z.ZodType>;

/** A section is either collected (`data`) or failed (`error`), never both; `hash` is sha256 of the data's canonical JSON. */
function sectionResult<T extends z.ZodType>(data: T) {
  return z.union([
    z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/), data }),
    z.object({ error: z.string().max(4096) }),
  ]);
}

/**
 * `inventory` (QoS 1). `full` carries every section; `delta` carries only sections whose hash
 * changed since the last one the hub acknowledged — sections absent from a delta are unchanged.
 */
export const inventorySectionResultSchemas = {
  hardware: sectionResult(hardwareSectionSchema),
  os: sectionResult(osSectionSchema),
  network: sectionResult(networkSectionSchema),
  software: sectionResult(softwareSectionSchema),
  users: sectionResult(usersSectionSchema),
  printers: sectionResult(printersSectionSchema),
  domain: sectionResult(domainSectionSchema),
  antivirus: sectionResult(antivirusSectionSchema),
  modem: sectionResult(modemSectionSchema),
} as const;

export const inventoryMessageSchema = envelopeSchema.extend({
  kind: z.enum(['full', 'delta']),
  sections: z.object({
    hardware: inventorySectionResultSchemas.hardware.optional(),
    os: inventorySectionResultSchemas.os.optional(),
    network: inventorySectionResultSchemas.network.optional(),
    software: inventorySectionResultSchemas.software.optional(),
    users: inventorySectionResultSchemas.users.optional(),
    printers: inventorySectionResultSchemas.printers.optional(),
    domain: inventorySectionResultSchemas.domain.optional(),
    antivirus: inventorySectionResultSchemas.antivirus.optional(),
    modem: inventorySectionResultSchemas.modem.optional(),
  }),
});

const unchecked = z.unknown().optional();

/**
 * An inventory with its sections not yet checked: the hub checks each section on its own
 * (`inventorySectionResultSchemas`), so one section that does not fit costs only itself. A section
 * this hub does not know (from a newer agent) is dropped by the object parse, not refused.
 */
export const inventoryEnvelopeSchema = envelopeSchema.extend({
  kind: z.enum(['full', 'delta']),
  sections: z.object({
    hardware: unchecked,
    os: unchecked,
    network: unchecked,
    software: unchecked,
    users: unchecked,
    printers: unchecked,
    domain: unchecked,
    antivirus: unchecked,
    modem: unchecked,
  }),
});

export type HardwareSection = z.infer<typeof hardwareSectionSchema>;
export type OsSection = z.infer<typeof osSectionSchema>;
export type NetworkSection = z.infer<typeof networkSectionSchema>;
export type SoftwareSection = z.infer<typeof softwareSectionSchema>;
export type UsersSection = z.infer<typeof usersSectionSchema>;
export type PrintersSection = z.infer<typeof printersSectionSchema>;
export type DomainSection = z.infer<typeof domainSectionSchema>;
export type AntivirusSection = z.infer<typeof antivirusSectionSchema>;
export type ModemSection = z.infer<typeof modemSectionSchema>;
export type InventoryPackage = z.infer<typeof packageSchema>;
export type PendingUpdate = z.infer<typeof pendingUpdateSchema>;
export type Monitor = z.infer<typeof monitorSchema>;
export type Battery = z.infer<typeof batterySchema>;
export type SmartStatus = z.infer<typeof smartStatusSchema>;
export type InventoryMessage = z.infer<typeof inventoryMessageSchema>;
export type InventorySections = InventoryMessage['sections'];
/** The data of each section, by name. */
export type InventorySectionData = { [K in InventorySectionName]: z.infer<(typeof inventorySectionSchemas)[K]> };
