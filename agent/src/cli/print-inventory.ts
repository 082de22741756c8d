import type { InventorySectionName, InventorySections } from '@bascule/protocol';
import { InventoryCollector } from '../inventory/inventory-collector.js';
import type { Logger } from '../logging/logger.js';
import { systemClock } from '../system/clock.js';
import type { CommandRunner } from '../system/command-runner.js';
import type { OsFiles } from '../system/os-files.js';
import type { InventoryCache } from '../system/state-file-cache.js';
import type { SystemInfo } from '../system/system-info.js';
import type { CliConsole } from './tokens.js';

/** `bascule-agent inventory [--json]`: the sections as JSON, or a short summary for a person. */
export async function printInventory(
  deps: {
    si: SystemInfo;
    runner: CommandRunner;
    files: OsFiles;
    logger: Logger;
    console: CliConsole;
    cache?: InventoryCache;
  },
  json: boolean,
  only?: readonly InventorySectionName[],
): Promise<void> {
  const sections = await new InventoryCollector(
    deps.si,
    deps.runner,
    deps.files,
    deps.logger,
    systemClock,
    undefined,
    deps.cache,
  ).collect(only);
  deps.console.out(json ? `${JSON.stringify(sections)}\n` : summary(sections));
}

function summary(sections: InventorySections): string {
  const lines: string[] = [];
  const { hardware, os, network, software } = sections;
  if (hardware) {
    lines.push(
      'data' in hardware
        ? `hardware: ${hardware.data.manufacturer ?? '?'} ${hardware.data.model ?? ''}, ${hardware.data.cpu.brand ?? 'cpu'} x${hardware.data.cpu.cores}, ${Math.round(hardware.data.memory.totalBytes / 2 ** 30)} GiB`
        : `hardware: ERROR ${hardware.error}`,
    );
  }
  if (os) {
    lines.push(
      'data' in os
        ? `os:       ${os.data.distro} ${os.data.release} (kernel ${os.data.kernel}, ${os.data.arch}), host ${os.data.hostname}`
        : `os:       ERROR ${os.error}`,
    );
  }
  if (network) {
    lines.push(
      'data' in network
        ? `network:  ${network.data.interfaces.map((i) => `${i.name} ${[...i.ipv4, ...i.ipv6].join(',')}`).join('; ')}`
        : `network:  ERROR ${network.error}`,
    );
  }
  if (software)
    lines.push(
      'data' in software ? `software: ${software.data.packages.length} packages` : `software: ERROR ${software.error}`,
    );
  for (const name of ['users', 'printers', 'domain', 'antivirus', 'modem'] as const) {
    const section = sections[name];
    if (section) lines.push(`${`${name}:`.padEnd(10)}${'data' in section ? 'collected' : `ERROR ${section.error}`}`);
  }
  return `${lines.join('\n')}\n`;
}
