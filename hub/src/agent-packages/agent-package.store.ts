import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Db } from '../database/database.js';
import type { AgentPackagesTable } from '../database/schema.js';
import { compareDebianVersions, sha256File } from '../install/agent-package.repository.js';
import type { DebControlReader } from './deb-control.js';

/** One agent package the hub holds. */
export interface StoredAgentPackage {
  version: string;
  fileName: string;
  sha256: string;
  bytes: number;
  addedAt: string;
  addedBy: string;
}

/** Where the store keeps its files: DATA/agent-packages/. */
export const agentPackagesDir = (dataDir: string) => path.join(dataDir, 'agent-packages');

// Same pattern as the protocol's: a version that is safe in a file name and in a URL path.
const VERSION = /^[0-9][A-Za-z0-9.+~-]{0,63}$/;
const FILE_NAME = /^bascule-agent_([0-9][A-Za-z0-9.+~-]*)_amd64\.deb$/;
/** A .deb of the agent is about 25 MB; anything far larger is not one. */
export const MAX_PACKAGE_BYTES = 200 * 1024 * 1024;

/** A package refused, with what to do about it (a 400 or 409 on the API, a message on the CLI). */
export class AgentPackageError extends Error {
  override name = 'AgentPackageError';
  constructor(
    message: string,
    readonly kind: 'invalid' | 'conflict',
  ) {
    super(message);
  }
}

export const isAgentPackageFileName = (name: string) => FILE_NAME.test(name);

/**
 * The bascule-agent packages the hub serves for self-update: each version once, its file in
 * DATA/agent-packages/ and its version, sha256 and size in the database. A package is checked (its
 * control file says bascule-agent, amd64, a version) before it is copied in; the copy is written under
 * a temporary name and renamed, so a half-written file is never served.
 */
export class AgentPackageStore {
  constructor(
    private readonly db: Db,
    readonly dir: string,
    private readonly readControl: DebControlReader,
  ) {}

  /** Every stored package, highest version first. */
  async list(): Promise<StoredAgentPackage[]> {
    const rows = await this.db.selectFrom('agent_packages').selectAll().execute();
    return rows.map(toPackage).sort((a, b) => compareDebianVersions(b.version, a.version));
  }

  async byFileName(fileName: string): Promise<StoredAgentPackage | undefined> {
    if (!isAgentPackageFileName(fileName)) return undefined;
    const row = await this.db
      .selectFrom('agent_packages')
      .selectAll()
      .where('file_name', '=', fileName)
      .executeTakeFirst();
    return row ? toPackage(row) : undefined;
  }

  /** The package's file on disk. */
  filePath(pkg: StoredAgentPackage): string {
    return path.join(this.dir, pkg.fileName);
  }

  open(pkg: StoredAgentPackage): fs.ReadStream {
    return fs.createReadStream(this.filePath(pkg));
  }

  /** Streams an upload into a temporary file of the store's directory, capped at MAX_PACKAGE_BYTES. */
  async receive(body: NodeJS.ReadableStream): Promise<string> {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o750 });
    const tmp = path.join(this.dir, `.upload-${randomBytes(8).toString('hex')}`);
    let bytes = 0;
    try {
      await pipeline(
        body,
        async function* cap(source: AsyncIterable<Buffer | string>) {
          for await (const chunk of source) {
            bytes += chunk.length;
            if (bytes > MAX_PACKAGE_BYTES) {
              throw new AgentPackageError(
                `the upload is larger than ${MAX_PACKAGE_BYTES} bytes: not an agent package`,
                'invalid',
              );
            }
            yield chunk;
          }
        },
        fs.createWriteStream(tmp, { mode: 0o640 }),
      );
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    return tmp;
  }

  /**
   * Adds the .deb at `file` (left where it is). The same version with the same content again is not an
   * error (`added: false`, or `true` when its file had gone and is put back); the same version with another content is refused: a version names one
   * package for good, or desktops that have it would never get the other.
   */
  async add(file: string, addedBy: string, now: string): Promise<{ pkg: StoredAgentPackage; added: boolean }> {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st?.isFile()) throw new AgentPackageError(`${file}: no such file`, 'invalid');
    if (st.size === 0) throw new AgentPackageError(`${file}: empty file`, 'invalid');
    if (st.size > MAX_PACKAGE_BYTES)
      throw new AgentPackageError(`${file}: larger than ${MAX_PACKAGE_BYTES} bytes`, 'invalid');
    let control: Awaited<ReturnType<DebControlReader>>;
    try {
      control = await this.readControl(file);
    } catch (err) {
      throw new AgentPackageError(`${path.basename(file)}: ${(err as Error).message}`, 'invalid');
    }
    if (control.package !== 'bascule-agent') {
      throw new AgentPackageError(
        `this is the package ${JSON.stringify(control.package)}, not bascule-agent (build it with npm run package)`,
        'invalid',
      );
    }
    if (control.architecture !== 'amd64') {
      throw new AgentPackageError(
        `the package is built for ${JSON.stringify(control.architecture)}, not amd64`,
        'invalid',
      );
    }
    if (!VERSION.test(control.version)) {
      throw new AgentPackageError(
        `the package's version ${JSON.stringify(control.version)} is not one the hub serves (digits, letters, . + ~ -; no epoch)`,
        'invalid',
      );
    }
    const version = control.version;
    const sha256 = await sha256File(file);
    const existing = await this.db
      .selectFrom('agent_packages')
      .selectAll()
      .where('version', '=', version)
      .executeTakeFirst();
    if (existing) {
      if (existing.sha256 === sha256 && fs.existsSync(path.join(this.dir, existing.file_name))) {
        return { pkg: toPackage(existing), added: false };
      }
      if (existing.sha256 !== sha256) {
        throw new AgentPackageError(
          `the hub already holds bascule-agent ${version} with another content (sha256 ${existing.sha256.slice(0, 12)}…): build the new package with a higher version`,
          'conflict',
        );
      }
    }
    const fileName = `bascule-agent_${version}_amd64.deb`;
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o750 });
    const tmp = path.join(this.dir, `.adding-${randomBytes(8).toString('hex')}`);
    const dest = path.join(this.dir, fileName);
    try {
      fs.copyFileSync(file, tmp);
      fs.chmodSync(tmp, 0o640);
      fs.renameSync(tmp, dest);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    const row: AgentPackagesTable = {
      version,
      file_name: fileName,
      sha256,
      bytes: st.size,
      added_at: now,
      added_by: addedBy,
    };
    if (existing) {
      // The row was there but its file had gone (a restored backup): the file is back, the row stays.
      return { pkg: toPackage(existing), added: true };
    }
    await this.db.insertInto('agent_packages').values(row).execute();
    return { pkg: toPackage(row), added: true };
  }
}

function toPackage(row: AgentPackagesTable): StoredAgentPackage {
  return {
    version: row.version,
    fileName: row.file_name,
    sha256: row.sha256,
    bytes: Number(row.bytes),
    addedAt: row.added_at,
    addedBy: row.added_by,
  };
}
