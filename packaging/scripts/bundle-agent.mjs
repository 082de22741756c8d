// Bundles the built agent (agent/dist, after `npm run build`) into a few ES module files with rolldown.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rolldown } from 'rolldown';
import { throwingStubSource } from '../lib/stub.mjs';

// Loaded by nest-commander's and cosmiconfig's dependencies for features the agent does not use
// (shell-completion formatting, TypeScript config files): replaced by a stub that throws if ever used,
// which keeps about 11 MB of prettier and typescript out of the package.
const STUBBED = ['prettier', 'typescript'];
// Optional packages NestJS requires lazily inside try/catch; absent here and in the package.
const OPTIONAL_EXTERNAL = [
  'class-validator',
  'class-transformer',
  /^@nestjs\/(websockets|microservices|platform-express)(\/.*)?$/,
];
// Shipped beside the bundle in node_modules/ (it loads its native addon relative to its own files),
// and imported only when a remote terminal opens.
const NATIVE_EXTERNAL = ['node-pty'];
const STUB_PREFIX = '\0bascule-stub:';

const stubPlugin = {
  name: 'bascule-stub',
  resolveId(source) {
    return STUBBED.includes(source) ? STUB_PREFIX + source : null;
  },
  load(id) {
    if (!id.startsWith(STUB_PREFIX)) return null;
    const name = id.slice(STUB_PREFIX.length);
    return throwingStubSource(name, 'bascule-agent');
  },
};

/**
 * Puts the package's version into agent/dist/version.js: the agent reports it in its status (the hub's
 * device page, the agent-update module), and a package built with --version must say that version.
 */
function versionPlugin(version) {
  return {
    name: 'bascule-version',
    transform(code, id) {
      if (!id.endsWith('/agent/dist/version.js')) return null;
      const pattern = /AGENT_VERSION = '[^']*'/;
      if (!pattern.test(code)) throw new Error(`${id}: AGENT_VERSION = '…' not found; cannot set the version`);
      return { code: code.replace(pattern, `AGENT_VERSION = ${JSON.stringify(version)}`), map: null };
    },
  };
}

/**
 * Writes `bin/bascule-agent.js` (the entry: main.js, which only dispatches) and `lib/chunks/*.js`
 * under outDir. The chunks sit two folders below outDir on purpose: the daemon finds the agent's entry
 * as `../../bin/bascule-agent.js` from its own module (run-daemon.ts), as it does in agent/dist.
 * Returns the chunks' file names and the static-import closure of the daemon's chunk.
 */
export async function bundleAgent(repo, outDir, { version } = {}) {
  const warnings = [];
  const bundle = await rolldown({
    input: { 'bascule-agent': join(repo, 'agent/bin/bascule-agent.js') },
    platform: 'node',
    external: [...OPTIONAL_EXTERNAL, ...NATIVE_EXTERNAL],
    plugins: [stubPlugin, ...(version ? [versionPlugin(version)] : [])],
    onLog(level, log) {
      if (level === 'warn') warnings.push(`${log.code}: ${log.message.split('\n')[0]}`);
    },
  });
  const { output } = await bundle.write({
    dir: outDir,
    format: 'esm',
    entryFileNames: 'bin/[name].js',
    chunkFileNames: 'lib/chunks/[name].js',
    cleanDir: true,
  });
  await bundle.close();
  // agent/bin's `#!/usr/bin/env node` would name the distribution's node; the package runs its own.
  const entry = join(outDir, 'bin/bascule-agent.js');
  writeFileSync(entry, readFileSync(entry, 'utf8').replace(/^#!.*\n/, ''));
  if (warnings.length > 0) throw new Error(`rolldown warned; look before packaging:\n${warnings.join('\n')}`);

  const chunks = new Map(output.filter((o) => o.type === 'chunk').map((c) => [c.fileName, c]));
  const daemon = [...chunks.values()].find((c) =>
    c.moduleIds.some((id) => id.endsWith('/agent/dist/daemon/run-daemon.js')),
  );
  if (!daemon) throw new Error('no chunk holds agent/dist/daemon/run-daemon.js');
  const closure = staticClosure(chunks, daemon.fileName);
  return { files: [...chunks.keys()], daemonChunk: daemon.fileName, daemonClosure: closure, chunks };
}

/** Every chunk a chunk loads statically (what `run` loads; its one dynamic import is node-pty). */
function staticClosure(chunks, start) {
  const seen = new Set();
  const todo = [start];
  while (todo.length > 0) {
    const name = todo.pop();
    if (seen.has(name) || !chunks.has(name)) continue;
    seen.add(name);
    todo.push(...chunks.get(name).imports);
  }
  return [...seen];
}

/**
 * The daemon must not load zod (14 MiB of its 64 MiB budget; agent/src/daemon/no-zod-in-daemon.spec.ts).
 * Checks the modules bundled into the daemon's static closure, and the closure's dynamic imports.
 */
export function assertDaemonWithoutZod({ chunks, daemonClosure }) {
  const modules = daemonClosure.flatMap((name) => chunks.get(name).moduleIds);
  const zod = modules.filter(
    (id) => /[\\/]node_modules[\\/]zod[\\/]/.test(id) || id.endsWith('/protocol/dist/index.js'),
  );
  if (zod.length > 0) throw new Error(`the daemon's chunks would load zod: ${zod.slice(0, 5).join(', ')}`);
  if (!modules.some((id) => id.endsWith('/protocol/dist/topics.js'))) {
    throw new Error(
      'the daemon closure lacks protocol/dist/topics.js (what @bascule/protocol/runtime exports): the check above proves nothing',
    );
  }
  // node-pty is the one module the daemon loads late (on the first terminal session), from node_modules.
  const dynamic = daemonClosure
    .flatMap((name) => chunks.get(name).dynamicImports)
    .filter((id) => !NATIVE_EXTERNAL.includes(id));
  if (dynamic.length > 0) throw new Error(`the daemon's chunks import dynamically: ${dynamic.join(', ')}`);
  return modules.length;
}

export function readChunk(outDir, name) {
  return readFileSync(join(outDir, name), 'utf8');
}
