import type { InventoryPackage, SoftwareSection } from '@bascule/protocol';
import type { Logger } from '../logging/logger.js';
import { CommandNotFoundError, type CommandRunner } from '../system/command-runner.js';

const DPKG_TIMEOUT_MS = 30_000;
const OPTIONAL_TIMEOUT_MS = 15_000;

/** Installed packages from dpkg (required), snap and flatpak (when present). */
export async function collectSoftware(runner: CommandRunner, logger: Logger): Promise<SoftwareSection> {
  const [dpkg, snap, flatpak] = await Promise.all([
    dpkgPackages(runner),
    optionalSource('snap', logger, () => snapPackages(runner)),
    optionalSource('flatpak', logger, () => flatpakPackages(runner)),
  ]);
  return { packages: [...dpkg, ...snap, ...flatpak] };
}

async function dpkgPackages(runner: CommandRunner): Promise<InventoryPackage[]> {
  const result = await runner.run(
    'dpkg-query',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query format, expanded by dpkg
    ['--show', '--showformat=${Package}\\t${Version}\\t${Architecture}\\t${db:Status-Abbrev}\\n'],
    { timeout: DPKG_TIMEOUT_MS },
  );
  if (result.exitCode !== 0) {
    throw new Error(`dpkg-query exited with ${result.exitCode}: ${result.stderr.trim().slice(0, 300)}`);
  }
  return parseDpkgQuery(result.stdout);
}

/** Lines `name\tversion\tarch\tstatus`; only packages whose status says installed (`?i?`). */
export function parseDpkgQuery(stdout: string): InventoryPackage[] {
  const packages: InventoryPackage[] = [];
  for (const line of stdout.split('\n')) {
    const [name, version, arch, status] = line.split('\t');
    if (!name || !version || status?.[1] !== 'i') continue;
    packages.push({ name, version, source: 'dpkg', arch: arch || undefined });
  }
  return packages.sort((a, b) => a.name.localeCompare(b.name) || (a.arch ?? '').localeCompare(b.arch ?? ''));
}

/** A missing tool means "no packages from it"; any other failure is logged and the source skipped. */
async function optionalSource(
  name: string,
  logger: Logger,
  collect: () => Promise<InventoryPackage[]>,
): Promise<InventoryPackage[]> {
  try {
    return await collect();
  } catch (err) {
    if (err instanceof CommandNotFoundError) return [];
    logger.warn(`inventory: ${name} packages not listed`, { error: err as Error });
    return [];
  }
}

async function snapPackages(runner: CommandRunner): Promise<InventoryPackage[]> {
  const result = await runner.run('snap', ['list', '--unicode=never', '--color=never'], {
    timeout: OPTIONAL_TIMEOUT_MS,
  });
  if (result.exitCode !== 0)
    throw new Error(`snap list exited with ${result.exitCode}: ${result.stderr.trim().slice(0, 300)}`);
  return parseSnapList(result.stdout);
}

/** `snap list` table: a header line, then `Name Version Rev Tracking Publisher Notes`. */
export function parseSnapList(stdout: string): InventoryPackage[] {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  if (!lines[0]?.startsWith('Name')) return [];
  const packages: InventoryPackage[] = [];
  for (const line of lines.slice(1)) {
    const [name, version] = line.trim().split(/\s+/);
    if (name && version) packages.push({ name, version, source: 'snap' });
  }
  return packages.sort((a, b) => a.name.localeCompare(b.name));
}

async function flatpakPackages(runner: CommandRunner): Promise<InventoryPackage[]> {
  const result = await runner.run('flatpak', ['list', '--columns=application,version,branch,arch'], {
    timeout: OPTIONAL_TIMEOUT_MS,
  });
  if (result.exitCode !== 0)
    throw new Error(`flatpak list exited with ${result.exitCode}: ${result.stderr.trim().slice(0, 300)}`);
  return parseFlatpakList(result.stdout);
}

/** Tab-separated `application version branch arch`; runtimes often have no version, their branch stands in. */
export function parseFlatpakList(stdout: string): InventoryPackage[] {
  const packages: InventoryPackage[] = [];
  for (const line of stdout.split('\n')) {
    const [name, version, branch, arch] = line.split('\t').map((f) => f.trim());
    if (!name || name === 'Application ID') continue;
    const v = version || branch;
    if (v) packages.push({ name, version: v, source: 'flatpak', arch: arch || undefined });
  }
  return packages.sort((a, b) => a.name.localeCompare(b.name));
}
