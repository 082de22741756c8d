import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareDebianVersions } from '@bascule/protocol';

export { compareDebianVersions };

/** The agent package the hub serves to `/install/agent.deb`. */
export interface AgentPackage {
  file: string;
  fileName: string;
  version: string;
  bytes: number;
  sha256: string;
}

/** Where the hub package puts the agent package it ships. */
export const PACKAGED_AGENT_DIR = '/usr/share/bascule-hub/agent';
/** In a checkout, `npm run package` writes it here. */
export const CHECKOUT_AGENT_DIR = fileURLToPath(new URL('../../../packaging/dist', import.meta.url));

const DEB = /^bascule-agent_([0-9][A-Za-z0-9.+~-]*)_amd64\.deb$/;

/**
 * Finds the agent .deb to serve: `BASCULE_AGENT_PACKAGE` (a .deb file or a directory) when set,
 * otherwise the hub's store of agent packages (DATA/agent-packages), otherwise the hub package's directory, otherwise the checkout's packaging/dist. In a directory the
 * highest version wins. Looked up at each request, so a new package is served without a restart; the
 * sha256 is cached per file, size and modification time.
 */
export function agentPackageLocations(env: NodeJS.ProcessEnv, storeDir?: string): string[] {
  const configured = env.BASCULE_AGENT_PACKAGE?.trim();
  // The hub's own store (bascule-hub agent-package add) comes first: what self-update serves, new
  // desktops get too.
  return configured ? [configured] : [...(storeDir ? [storeDir] : []), PACKAGED_AGENT_DIR, CHECKOUT_AGENT_DIR];
}

export class AgentPackageRepository {
  private readonly hashes = new Map<string, { key: string; sha256: string }>();

  constructor(private readonly locations: readonly string[]) {}

  /** The package to serve, or null (with the places looked at) when there is none. */
  async find(): Promise<{ pkg: AgentPackage | null; lookedIn: readonly string[] }> {
    for (const location of this.locations) {
      const file = this.pick(location);
      if (file) return { pkg: await this.describe(file), lookedIn: this.locations };
    }
    return { pkg: null, lookedIn: this.locations };
  }

  open(pkg: AgentPackage): fs.ReadStream {
    return fs.createReadStream(pkg.file);
  }

  private pick(location: string): string | null {
    const st = fs.statSync(location, { throwIfNoEntry: false });
    if (!st) return null;
    if (st.isFile()) return location;
    const candidates = fs
      .readdirSync(location)
      .filter((name) => DEB.test(name))
      .sort((a, b) => compareDebianVersions(versionOf(b), versionOf(a)));
    return candidates[0] ? path.join(location, candidates[0]) : null;
  }

  private async describe(file: string): Promise<AgentPackage> {
    const st = fs.statSync(file);
    const key = `${st.size}:${st.mtimeMs}`;
    let cached = this.hashes.get(file);
    if (cached?.key !== key) {
      cached = { key, sha256: await sha256File(file) };
      this.hashes.set(file, cached);
    }
    const fileName = path.basename(file);
    return { file, fileName, version: versionOf(fileName), bytes: st.size, sha256: cached.sha256 };
  }
}

function versionOf(fileName: string): string {
  return DEB.exec(fileName)?.[1] ?? '0';
}

/** The sha256 of a file, hex, read as a stream. */
export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    fs.createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
