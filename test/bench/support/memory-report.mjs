// Preloaded into the hub by hub-memory-fleet.mjs (`--import`): on SIGUSR1 it writes the process's
// memory as Node sees it (process.memoryUsage(), V8's heap spaces) to $BASCULE_MEMORY_REPORT.
import { renameSync, writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

const file = process.env.BASCULE_MEMORY_REPORT;
if (file) {
  process.on('SIGUSR1', () => {
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size]));
    // Renamed into place: the benchmark polls for the file and must not read it half written.
    writeFileSync(`${file}.tmp`, JSON.stringify({ at: new Date().toISOString(), ...process.memoryUsage(), spaces }));
    renameSync(`${file}.tmp`, file);
  });
}
