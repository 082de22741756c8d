import type { PendingUpdate } from '@bascule/protocol';
import { UnreadableOutputError } from './key-value.js';

export interface PendingUpdates {
  count: number;
  security: number;
  pending: PendingUpdate[];
}

/**
 * `apt list --upgradable`: `Listing...`, then `NAME/SUITE[,SUITE…] VERSION ARCH [upgradable from:
 * OLD]` per package. An update is a security update when one of the suites offering the new version
 * is a `*-security` pocket (`jammy-security`, `bookworm-security`, `oldstable-security`).
 * (`apt list` reads apt's cache: 0.4 s on a desktop, where `apt-get -s upgrade` needs the resolver, 4 s.)
 */
export function parseAptUpgradable(stdout: string): PendingUpdates {
  const pending: PendingUpdate[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '' || /^Listing/.test(line)) continue;
    const m = /^([^/\s]+)\/(\S+) (\S+) \S+ \[upgradable from: [^\]]+\]/.exec(line);
    if (!m) throw new UnreadableOutputError('apt list --upgradable', 'unexpected line', line);
    const suites = (m[2] as string).split(',');
    pending.push({
      name: m[1] as string,
      version: m[3] as string,
      security: suites.some((s) => s.endsWith('-security')),
    });
  }
  // One line per architecture (libc6:amd64 and libc6:i386) is one package to the helpdesk.
  const unique = [...new Map(pending.map((p) => [`${p.name} ${p.version}`, p])).values()];
  unique.sort((a, b) => a.name.localeCompare(b.name));
  return { count: unique.length, security: unique.filter((p) => p.security).length, pending: unique };
}

/** /var/run/reboot-required.pkgs: one package per line, without duplicates. */
export function parseRebootRequiredPkgs(text: string | undefined): string[] {
  return [
    ...new Set(
      (text ?? '')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ].sort();
}
