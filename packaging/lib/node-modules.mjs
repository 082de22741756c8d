// A production node_modules copied from the repository's installed tree (no network, the versions
// of package-lock.json): the closure of a package's `dependencies`, resolved the way Node resolves
// them, each package copied to the same place relative to the repository root. Workspace packages
// (symbolic links into the repository) are copied as their package.json and dist/.
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** Where `name` resolves from a package at `fromDir` (its node_modules, then its parents'). */
function resolvePackage(name, fromDir, root) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === dirname(dir)) return null;
  }
}

// Not needed at run time: types, source maps, docs, dotfiles (lintian refuses eslint configs).
const SKIP = /(\.d\.ts|\.d\.mts|\.d\.cts|\.map|\.md|\.markdown|\.tsbuildinfo)$|[\\/]\.[^\\/]+$/i;
// Top-level folders of a package that only its developers use.
const DEV_FOLDERS = /^(test|tests|__tests__|benchmarks?|examples?|\.github)([\\/]|$)/;

/**
 * Copies the runtime dependencies of the package at `fromDir` (inside `root`) into `dest`, keeping
 * their paths relative to `root`. `special[name](src, to)` replaces the copy of that package (native
 * addons) and returns the dependencies of it to follow (none if it returns nothing); `extra` names undeclared dependencies of the top package. Returns [{name, version, license}] of every package copied.
 */
export function copyProductionModules({ root, fromDir, dest, extra = [], special = {} }) {
  const copied = new Map();
  const visit = (pkgDir, seenFrom, also = [], only = null) => {
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    const optionalPeers = Object.entries(pkg.peerDependenciesMeta ?? {})
      .filter(([, m]) => m.optional)
      .map(([n]) => n);
    const wanted = only ?? [
      ...also,
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.optionalDependencies ?? {}),
      ...Object.keys(pkg.peerDependencies ?? {}).filter((n) => !optionalPeers.includes(n)),
    ];
    for (const name of wanted) {
      const found = resolvePackage(name, seenFrom, root);
      if (!found) {
        if (pkg.optionalDependencies?.[name] || pkg.peerDependencies?.[name]) continue;
        throw new Error(`${pkg.name} needs ${name}, which is not installed: run npm ci`);
      }
      const at = relative(root, found);
      if (copied.has(at)) continue;
      const real = realpathSync(found);
      const meta = JSON.parse(readFileSync(join(real, 'package.json'), 'utf8'));
      const to = join(dest, at);
      mkdirSync(dirname(to), { recursive: true });
      let follow = null;
      if (special[meta.name]) follow = special[meta.name](real, to) ?? [];
      else if (lstatSync(found).isSymbolicLink()) {
        // A workspace package: what `npm pack` would ship.
        cpSync(join(real, 'package.json'), join(to, 'package.json'));
        cpSync(join(real, 'dist'), join(to, 'dist'), { recursive: true, filter: (src) => !SKIP.test(src) });
      } else {
        cpSync(real, to, {
          recursive: true,
          filter: (src) =>
            !SKIP.test(src) && !/^node_modules|^\./.test(relative(real, src)) && !DEV_FOLDERS.test(relative(real, src)),
        });
      }
      // What was copied (a special copy may bring another version).
      const shipped = JSON.parse(readFileSync(join(to, 'package.json'), 'utf8'));
      copied.set(at, { name: shipped.name, version: shipped.version, license: shipped.license });
      // A nested node_modules is resolved from the package's place in the repository's tree.
      visit(real, lstatSync(found).isSymbolicLink() ? real : found, [], follow);
    }
  };
  visit(fromDir, fromDir, extra);
  return [...copied.values()];
}
