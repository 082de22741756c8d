import type { InventoryPackage } from '@bascule/protocol';
import { UnreadableOutputError } from './key-value.js';

/** The `--showformat` that parseDpkgQuery reads. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query format, expanded by dpkg
export const DPKG_QUERY_FORMAT = '${Package}\\t${Version}\\t${Architecture}\\t${db:Status-Abbrev}\\t${Maintainer}\\n';

/**
 * Lines `name\tversion\tarch\tstatus\tmaintainer`; only packages whose status says installed
 * (`?i?`). The maintainer's name, without the e-mail address, is the package's origin ("Ubuntu
 * Developers", "Zorin OS", "Google"). Lines of the first format (four fields) are read too.
 */
export function parseDpkgQuery(stdout: string): InventoryPackage[] {
  const packages: InventoryPackage[] = [];
  const lines = stdout.split('\n').filter((l) => l !== '');
  for (const line of lines) {
    const [name, version, arch, status, maintainer] = line.split('\t');
    if (!name || !version || status === undefined) {
      throw new UnreadableOutputError('dpkg-query', 'a line without name, version and status', line);
    }
    if (status[1] !== 'i') continue;
    const origin = maintainer?.replace(/\s*<[^>]*>\s*$/, '').trim();
    packages.push({ name, version, source: 'dpkg', arch: arch || undefined, ...(origin ? { origin } : {}) });
  }
  return packages.sort((a, b) => a.name.localeCompare(b.name) || (a.arch ?? '').localeCompare(b.arch ?? ''));
}
