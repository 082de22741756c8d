import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logging/logger.js';
import { systemClock } from './clock.js';
import { FileChangeTrigger } from './file-change-trigger.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('FileChangeTrigger', () => {
  let dir: string;
  let trigger: FileChangeTrigger | undefined;
  afterEach(() => {
    trigger?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fires once after a burst of replacements of the file, not for its neighbours', async () => {
    dir = mkdtempSync(join(tmpdir(), 'trigger-'));
    const status = join(dir, 'status');
    writeFileSync(status, 'a');
    trigger = new FileChangeTrigger([status, join(dir, 'missing-dir', 'x')], 150, systemClock, createMemoryLogger());
    let fired = 0;
    trigger.start(() => fired++);
    writeFileSync(join(dir, 'status-old'), 'neighbour');
    await sleep(300);
    expect(fired).toBe(0);
    for (let i = 0; i < 5; i++) {
      // dpkg writes status-new then renames it over status.
      writeFileSync(join(dir, 'status-new'), `v${i}`);
      renameSync(join(dir, 'status-new'), status);
      await sleep(20);
    }
    expect(fired).toBe(0);
    await sleep(400);
    expect(fired).toBe(1);
  });

  it('stops watching and cancels a pending call on stop()', async () => {
    dir = mkdtempSync(join(tmpdir(), 'trigger-'));
    const status = join(dir, 'status');
    writeFileSync(status, 'a');
    trigger = new FileChangeTrigger([status], 100, systemClock, createMemoryLogger());
    let fired = 0;
    trigger.start(() => fired++);
    writeFileSync(status, 'b');
    await sleep(30);
    trigger.stop();
    writeFileSync(status, 'c');
    await sleep(250);
    expect(fired).toBe(0);
  });
});
