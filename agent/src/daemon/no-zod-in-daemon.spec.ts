import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * zod costs the daemon about 14 MiB of its 64 MiB budget, and one value import of `@bascule/protocol`
 * (rather than `@bascule/protocol/runtime`) is enough to load it. These tests start the built agent
 * (`agent/dist`, as `npm test` builds it first) under a module hook that records every module Node
 * resolves, ESM and CommonJS, and look for zod among them.
 */

const agentDir = fileURLToPath(new URL('../../', import.meta.url));
const agentBin = join(agentDir, 'bin/bascule-agent.js');
const distDir = join(agentDir, 'dist');

// Runs in the loader thread: appends each resolved URL to the log file.
const HOOKS = `
import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, result.url + '\\n');
  return result;
}
`;
// Preloaded with --import: registers the hooks, and at exit adds the CommonJS modules (require() does
// not go through the ESM hooks in Node 20).
const REGISTER = `
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
const log = process.env.MODULE_LOG;
register(new URL('./hooks.mjs', import.meta.url), { data: { log } });
const Module = createRequire(import.meta.url)('node:module');
process.on('exit', () => {
  const cjs = Object.keys(Module._cache).map((p) => 'file://' + p);
  appendFileSync(log, cjs.map((u) => u + '\\n').join(''));
});
`;

let tmp: string;
beforeAll(() => {
  if (!existsSync(join(distDir, 'daemon/run-daemon.js'))) {
    throw new Error('agent/dist is missing: build first (npx tsc -b protocol agent)');
  }
  tmp = mkdtempSync(join(tmpdir(), 'no-zod-'));
  writeFileSync(join(tmp, 'hooks.mjs'), HOOKS);
  writeFileSync(join(tmp, 'register.mjs'), REGISTER);
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Runs node with the recording hooks; returns the exit status and every module URL it resolved. */
function loadedModules(args: string[], name: string): { status: number | null; stderr: string; urls: string[] } {
  const log = join(tmp, `${name}.log`);
  writeFileSync(log, '');
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(join(tmp, 'register.mjs')).href, ...args], {
    cwd: agentDir,
    env: { ...process.env, MODULE_LOG: log },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const urls = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
  return { status: result.status, stderr: result.stderr, urls };
}

const isZod = (url: string) => /\/node_modules\/zod\//.test(url);

describe('bascule-agent run', () => {
  let run: ReturnType<typeof loadedModules>;
  beforeAll(() => {
    // An empty state directory: the daemon loads all of its modules, then stops with "not enrolled".
    const state = join(tmp, 'state');
    mkdirSync(state);
    run = loadedModules([agentBin, 'run', '--state', state], 'run');
  });

  it('loads the whole daemon without zod', () => {
    expect(run.stderr).toMatch(/not enrolled/);
    expect(run.status).toBe(1);
    // The hooks did see the daemon and its dependencies (otherwise the check below proves nothing).
    expect(run.urls.some((u) => u.endsWith('/agent/dist/daemon/run-daemon.js'))).toBe(true);
    expect(run.urls.some((u) => u.endsWith('/protocol/dist/runtime.js'))).toBe(true);
    expect(run.urls.some((u) => /\/node_modules\/mqtt\//.test(u))).toBe(true);
    expect(run.urls.filter(isZod)).toEqual([]);
    expect(run.urls.filter((u) => u.endsWith('/protocol/dist/index.js'))).toEqual([]);
  });

  it('does not load node-pty until a terminal session opens', () => {
    expect(run.urls.some((u) => u.endsWith('/agent/dist/system/pty-spawner.js'))).toBe(true);
    expect(run.urls.filter((u) => /\/node_modules\/node-pty\//.test(u))).toEqual([]);
  });

  it('has no dynamic import that the run above could have missed (main.js only dispatches)', () => {
    const ours = run.urls.filter(
      (u) => /\/(agent|protocol)\/dist\/.*\.js$/.test(u) && !u.endsWith('/agent/dist/main.js'),
    );
    expect(ours.length).toBeGreaterThan(10);
    // node-pty is imported on the first terminal session only (it does not load zod, and the idle
    // daemon should not pay for it); any other dynamic import could hide zod from the run above.
    const dynamicImport = (text: string) => /\bimport\(/.test(text.replaceAll("import('node-pty')", ''));
    const withDynamicImport = ours.filter((u) => dynamicImport(readFileSync(fileURLToPath(u), 'utf8')));
    expect(withDynamicImport).toEqual([]);
  });

  it('would see zod if it were loaded (control)', () => {
    const { status, urls } = loadedModules(['--input-type=module', '-e', "await import('@bascule/protocol');"], 'ctl');
    expect(status).toBe(0);
    expect(urls.filter(isZod).length).toBeGreaterThan(0);
  });
});
