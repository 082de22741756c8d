import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateDirectory } from '../system/state-directory.js';
import { type RuntimeStatus, RuntimeStatusStore } from './runtime-status-store.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'runtime-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const status: RuntimeStatus = {
  pid: 1234,
  startedAt: '2026-01-01T00:00:00.000Z',
  connected: true,
  lastConnectedAt: null,
  updatedAt: '2026-01-01T00:00:01.000Z',
};

describe('RuntimeStatusStore', () => {
  it('reads back what it wrote', () => {
    const store = new RuntimeStatusStore(new StateDirectory(root));
    expect(store.read()).toEqual({ status: null });
    store.write(status);
    expect(store.read()).toEqual({ status });
  });

  it('says which field is wrong in an unreadable file', () => {
    const store = new RuntimeStatusStore(new StateDirectory(root));
    writeFileSync(join(root, 'runtime.json'), JSON.stringify({ ...status, pid: -1, connected: 'yes' }));
    const { status: read, problem } = store.read();
    expect(read).toBeNull();
    expect(problem).toMatch(
      /runtime\.json is unreadable: pid: must be greater than 0, got -1; connected: expected true or false/,
    );
  });

  it('reports a file that is not JSON', () => {
    const store = new RuntimeStatusStore(new StateDirectory(root));
    writeFileSync(join(root, 'runtime.json'), '{"pid"');
    expect(store.read().problem).toMatch(/runtime\.json is unreadable: .*JSON/);
  });
});
