import { existsSync } from 'node:fs';
import { spawnPipes } from './pipe-spawner.js';
import { spawnPty } from './pty-spawner.js';
import type { TerminalProcess, TerminalSpawner, TerminalSpawnSpec } from './terminal-process.js';

/** The real spawner: node-pty for a terminal, pipes for a command without one. */
export class SystemTerminalSpawner implements TerminalSpawner {
  async spawn(spec: TerminalSpawnSpec): Promise<TerminalProcess> {
    // A home directory that is missing (or not mounted yet) should not stop the helpdesk from working.
    const ready = existsSync(spec.cwd) ? spec : { ...spec, cwd: '/' };
    return ready.pty ? spawnPty(ready) : spawnPipes(ready);
  }
}
