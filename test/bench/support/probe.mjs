// Preloaded with `node --import` into a second agent daemon (never the measured one): every
// PROBE_SECONDS it appends to PROBE_FILE the process.memoryUsage() breakdown and the loaded CommonJS
// modules that belong to NestJS, to show what the resident memory is made of and that `run` keeps
// NestJS out.
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const file = process.env.PROBE_FILE;
const every = Number(process.env.PROBE_SECONDS ?? 30) * 1000;
const Module = createRequire(import.meta.url)('node:module');
const write = () => {
  const cjs = Object.keys(Module._cache);
  const packages = [...new Set(cjs.map((p) => p.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1]).filter(Boolean))];
  appendFileSync(
    file,
    `${JSON.stringify({
      at: new Date().toISOString(),
      memory: process.memoryUsage(),
      cjsModuleCount: cjs.length,
      nestModules: cjs.filter((p) => /@nestjs|nest-commander/.test(p)).length,
      packages: packages.sort(),
    })}\n`,
  );
};
if (file) setInterval(write, every).unref();
