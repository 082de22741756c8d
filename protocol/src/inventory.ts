import { z } from 'zod';
import { envelopeSchema } from './envelope.js';

export { INVENTORY_SECTIONS, type InventorySectionName } from './constants.js';

const text = z.string().max(4096);
const optText = text.optional();
const bytes = z.number().finite().nonnegative();

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
      }),
    )
    .max(64),
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
});

export const packageSchema = z.object({
  name: text,
  version: text,
  source: z.enum(['dpkg', 'snap', 'flatpak']),
  arch: optText,
});

export const softwareSectionSchema = z.object({
  packages: z.array(packageSchema).max(50_000),
});

export const inventorySectionSchemas = {
  hardware: hardwareSectionSchema,
  os: osSectionSchema,
  network: networkSectionSchema,
  software: softwareSectionSchema,
} as const;

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
} as const;

export const inventoryMessageSchema = envelopeSchema.extend({
  kind: z.enum(['full', 'delta']),
  sections: z.object({
    hardware: inventorySectionResultSchemas.hardware.optional(),
    os: inventorySectionResultSchemas.os.optional(),
    network: inventorySectionResultSchemas.network.optional(),
    software: inventorySectionResultSchemas.software.optional(),
  }),
});

/**
 * An inventory with its sections not yet checked: the hub checks each section on its own
 * (`inventorySectionResultSchemas`), so one section that does not fit costs only itself.
 */
export const inventoryEnvelopeSchema = envelopeSchema.extend({
  kind: z.enum(['full', 'delta']),
  sections: z.object({
    hardware: z.unknown().optional(),
    os: z.unknown().optional(),
    network: z.unknown().optional(),
    software: z.unknown().optional(),
  }),
});

export type HardwareSection = z.infer<typeof hardwareSectionSchema>;
export type OsSection = z.infer<typeof osSectionSchema>;
export type NetworkSection = z.infer<typeof networkSectionSchema>;
export type SoftwareSection = z.infer<typeof softwareSectionSchema>;
export type InventoryPackage = z.infer<typeof packageSchema>;
export type InventoryMessage = z.infer<typeof inventoryMessageSchema>;
export type InventorySections = InventoryMessage['sections'];
