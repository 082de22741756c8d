/**
 * Which column of an imported file holds which field of a registry machine, and the GLPI preset:
 * the column names of GLPI's "Ordinateurs" / "Computers" list exported as CSV (French or English UI).
 */
export const REGISTRY_FIELDS = ['serial', 'hostname', 'macs', 'department', 'mainUser', 'os'] as const;
export type RegistryField = (typeof REGISTRY_FIELDS)[number];
/** `{field: column name}`; a field left out is not imported. */
export type ColumnMapping = Partial<Record<RegistryField, string>>;

export const IMPORT_PRESETS = ['glpi'] as const;
export type ImportPreset = (typeof IMPORT_PRESETS)[number];

/** Column names compared without case, accents or repeated spaces. */
export function columnKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * GLPI's computer list: `Nom`, `Numéro de série`, `Entité` (a path `Entité racine > Mairie > Écoles`,
 * which becomes the department tree), `Utilisateur`, `Système d'exploitation - Nom`, and the MAC
 * addresses of its network ports (several per cell). Earlier names first: the first found wins.
 */
const GLPI_ALIASES: Record<RegistryField, string[]> = {
  hostname: ['nom', 'name'],
  // Last in each list: the field names of GLPI's inventory format (hardware.name, bios.ssn, networks.mac…).
  serial: ['numero de serie', 'serial number', 'serial', 'ssn'],
  macs: [
    'ports reseau - adresse mac',
    'reseau - adresse mac',
    'composants - carte reseau - adresse mac',
    'network ports - mac',
    'network ports - mac address',
    'network port - mac address',
    'adresse mac',
    'mac address',
    'mac',
  ],
  department: ['entite', 'entity', 'entities_id'],
  mainUser: ['utilisateur', 'user', 'usager', 'contact', 'users_id', 'lastloggeduser', 'login'],
  os: [
    "systeme d'exploitation - nom",
    'operating system - name',
    "systeme d'exploitation",
    'operatingsystems_id',
    'full_name',
  ],
};

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
  const aliases = preset === 'glpi' ? GLPI_ALIASES : COMMON_ALIASES;
  const byKey = new Map(columns.map((c) => [columnKey(c), c] as const));
  const out: ColumnMapping = {};
  for (const field of REGISTRY_FIELDS) {
    const hit = aliases[field].find((a) => byKey.has(a));
    if (hit) out[field] = byKey.get(hit);
  }
  return out;
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
