import fs from 'node:fs';
import type { AgentUpdatePackage } from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { AgentPackageStore, StoredAgentPackage } from './agent-package.store.js';

/**
 * The download path a device uses for a package (what the hub puts in its agent-update settings). The
 * file name is not encoded: the store only holds names of letters, digits and `. + ~ _ -`, which are
 * all literal in a URL path (`+` means a space only in a query string).
 */
export const agentPackageDownloadPath = (fileName: string) => `/api/v1/agent-packages/${fileName}/content`;

/** What the config publisher reads: each stored version with what a device needs to fetch it. */
export interface AgentPackageCatalog {
  byVersion(): Promise<Map<string, AgentUpdatePackage>>;
}

/**
 * Adding and listing the agent packages the hub serves (CLI `bascule-hub agent-package`, REST
 * `/api/v1/agent-packages`). Each addition is audited; configs are computed again afterwards, so that an
 * agent-update policy written for a version not added yet reaches its desktops once it is.
 */
export class AgentPackageService implements AgentPackageCatalog {
  constructor(
    private readonly store: AgentPackageStore,
    private readonly audit: AuditRepository,
    private readonly onAdded: () => Promise<unknown>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The directory the packages are kept in (the install script serves the highest one from it). */
  get dir(): string {
    return this.store.dir;
  }

  list(): Promise<StoredAgentPackage[]> {
    return this.store.list();
  }

  /**
   * Only packages whose file is there: after a restore (backups hold the database, not the packages)
   * a version without its file is left out, so devices report it missing ("add it with bascule-hub
   * agent-package add") instead of failing on a 404; adding the same file again brings it back.
   */
  async byVersion(): Promise<Map<string, AgentUpdatePackage>> {
    const map = new Map<string, AgentUpdatePackage>();
    for (const p of await this.store.list()) {
      if (!fs.existsSync(this.store.filePath(p))) {
        this.logger.warn('agent package file missing: add it again with bascule-hub agent-package add', {
          version: p.version,
          file: this.store.filePath(p),
        });
        continue;
      }
      map.set(p.version, {
        fileName: p.fileName,
        bytes: p.bytes,
        sha256: p.sha256,
        path: agentPackageDownloadPath(p.fileName),
      });
    }
    return map;
  }

  /** Adds a .deb from a file on the hub (the CLI). */
  async addFile(file: string, actor: string): Promise<{ pkg: StoredAgentPackage; added: boolean }> {
    const now = this.clock.now().toISOString();
    const result = await this.store.add(file, actor, now);
    if (result.added) {
      await this.audit.record({
        ts: now,
        actor,
        action: 'agent-package.add',
        target: result.pkg.version,
        detail: { fileName: result.pkg.fileName, sha256: result.pkg.sha256, bytes: result.pkg.bytes },
      });
      this.logger.info('agent package added', { version: result.pkg.version, sha256: result.pkg.sha256, actor });
      await this.onAdded();
    }
    return result;
  }

  /** Adds an uploaded .deb (the REST upload): received into the store's directory, checked, then kept. */
  async addUpload(body: NodeJS.ReadableStream, actor: string): Promise<{ pkg: StoredAgentPackage; added: boolean }> {
    const tmp = await this.store.receive(body);
    try {
      return await this.addFile(tmp, actor);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }

  /** A stored package by its file name, with a stream of its content; undefined when the hub has no such file. */
  async download(fileName: string): Promise<{ pkg: StoredAgentPackage; stream: NodeJS.ReadableStream } | undefined> {
    const pkg = await this.store.byFileName(fileName);
    if (!pkg || !fs.existsSync(this.store.filePath(pkg))) return undefined;
    return { pkg, stream: this.store.open(pkg) };
  }
}
