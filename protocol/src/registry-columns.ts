/**
 * The columns of a fleet-registry import (CSV or GLPI export), shared by the hub, which maps and checks
 * the file, and the admin UI, which offers the same GLPI preset in its import wizard.
 */

/** The fields of a registry machine a file can fill. */
export const REGISTRY_FIELDS = ['serial', 'hostname', 'macs', 'department', 'mainUser', 'os'] as const;
export type RegistryField = (typeof REGISTRY_FIELDS)[number];
/** `{field: column name}`; a field left out is not imported. */
export type ColumnMapping = Partial<Record<RegistryField, string>>;

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
 * GLPI's computer list ("Ordinateurs" / "Computers", French or English UI): `Nom`, `Numéro de série`,
 * `Entité` (a path `Entité racine > Mairie > Écoles`, which becomes the department tree), `Utilisateur`,
 * `Système d'exploitation - Nom`, and the MAC addresses of its network ports (several per cell), as
 * `columnKey` writes them. Earlier names first: the first found wins. Last in each list: the field names
 * of GLPI's inventory format (hardware.name, bios.ssn, networks.mac…).
 */
export const GLPI_COLUMN_ALIASES: Record<RegistryField, readonly string[]> = {
  hostname: ['nom', 'name'],
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

/** The mapping `aliases` give for these columns: only the fields whose column the file has. */
export function mappingFromAliases(
  columns: readonly string[],
  aliases: Record<RegistryField, readonly string[]>,
): ColumnMapping {
  const byKey = new Map(columns.map((c) => [columnKey(c), c] as const));
  const out: ColumnMapping = {};
  for (const field of REGISTRY_FIELDS) {
    const hit = aliases[field].find((a) => byKey.has(a));
    if (hit) out[field] = byKey.get(hit);
  }
  return out;
}
