import {
  type ColumnMapping,
  columnKey,
  GLPI_COLUMN_ALIASES,
  mappingFromAliases,
  REGISTRY_FIELDS,
  type RegistryField,
} from '@bascule/protocol';

/**
 * Which column of an imported file holds which field of a registry machine: the fields, `columnKey` and
 * the GLPI preset are shared with the admin UI (protocol/src/registry-columns.ts).
 */
export { type ColumnMapping, columnKey, REGISTRY_FIELDS, type RegistryField };

export const IMPORT_PRESETS = ['glpi'] as const;
export type ImportPreset = (typeof IMPORT_PRESETS)[number];

/** What a hand-made spreadsheet usually calls its columns (used when the client gives no mapping). */
const COMMON_ALIASES: Record<RegistryField, string[]> = {
  hostname: ['hostname', "nom d'hote", 'nom du poste', 'poste', 'nom', 'name', 'machine', 'ordinateur'],
  serial: ['serial', 'numero de serie', 'n° de serie', 'serial number', 'serie', 'sn', 'numero serie'],
  macs: ['mac', 'macs', 'adresse mac', 'adresses mac', 'mac address', 'mac addresses'],
  department: ['department', 'departement', 'service', 'direction', 'entite', 'entity', 'pole'],
  mainUser: ['utilisateur', 'utilisateur principal', 'user', 'main user', 'agent', 'usager'],
  os: ['os', 'systeme', "systeme d'exploitation", 'operating system'],
};

/** The mapping a preset (or, without one, the common names) gives for these columns. */
export function guessMapping(columns: readonly string[], preset?: ImportPreset): ColumnMapping {
  return mappingFromAliases(columns, preset === 'glpi' ? GLPI_COLUMN_ALIASES : COMMON_ALIASES);
}

/** Refuses a mapping naming an unknown field or a column the file does not have. */
export function checkMapping(mapping: Record<string, unknown>, columns: readonly string[]): ColumnMapping {
  const out: ColumnMapping = {};
  for (const [field, column] of Object.entries(mapping)) {
    if (!(REGISTRY_FIELDS as readonly string[]).includes(field)) {
      throw new MappingError(`unknown field "${field}": map ${REGISTRY_FIELDS.join(', ')}`);
    }
    if (column === undefined || column === null || column === '') continue;
    if (typeof column !== 'string' || !columns.includes(column)) {
      throw new MappingError(`field "${field}": the file has no column "${String(column)}"`);
    }
    out[field as RegistryField] = column;
  }
  if (!out.serial && !out.hostname) {
    throw new MappingError('map at least the serial number or the hostname: they identify each machine');
  }
  return out;
}

export class MappingError extends Error {
  override name = 'MappingError';
}

/**
 * `AA-BB-CC-DD-EE-FF`, `aabb.ccdd.eeff` or `AABBCCDDEEFF` → `aa:bb:cc:dd:ee:ff`; undefined when it is
 * not a MAC address.
 */
export function normalizeMac(raw: string): string | undefined {
  const hex = raw.trim().toLowerCase();
  if (/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(hex)) return hex;
  if (!/^([0-9a-f]{2}([:-][0-9a-f]{2}){5}|[0-9a-f]{4}(\.[0-9a-f]{4}){2}|[0-9a-f]{12})$/.test(hex)) return undefined;
  const digits = hex.replace(/[:.-]/g, '');
  return digits.match(/../g)?.join(':');
}

/** The MACs of one cell: several separated by spaces, commas, `|`, GLPI's `<br>` or `$$##$$`. */
export function splitMacs(cell: string): string[] {
  return cell
    .split(/<br\s*\/?>|\$\$##\$\$|[\s,;|]+/i)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** `Mairie > Écoles > Maternelles` (GLPI's entities, or a plain name) → the path's names. */
export function departmentPath(cell: string): string[] {
  return cell
    .split(/\s*>\s*/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export const serialKey = (s: string) => s.trim().toUpperCase();
export const hostnameKey = (s: string) => s.trim().toLowerCase();
export const departmentKey = (s: string) => s.trim().toLowerCase();

/** What firmware writes when nobody set a serial: never an identity (two such machines are not one). */
const PLACEHOLDER_SERIALS = new Set(
  [
    'to be filled by o.e.m.',
    'default string',
    'system serial number',
    'not specified',
    'not applicable',
    'none',
    'n/a',
    '0',
    '0123456789',
    '00000000',
    'chassis serial number',
  ].map(serialKey),
);

/** The serial as an identity, or undefined for an empty or placeholder serial. */
export function identitySerial(serial: string | null | undefined): string | undefined {
  if (!serial) return undefined;
  const key = serialKey(serial);
  return key === '' || PLACEHOLDER_SERIALS.has(key) ? undefined : key;
}

/** A MAC as an identity: all-zero and broadcast addresses are not. */
export function identityMac(mac: string | null | undefined): string | undefined {
  const m = mac ? normalizeMac(mac) : undefined;
  return m === undefined || m === '00:00:00:00:00:00' || m === 'ff:ff:ff:ff:ff:ff' ? undefined : m;
}
