import fs from 'node:fs';
import path from 'node:path';
import { HUB_BIN, type Proc, runNode, spawnNode, tempDir } from './processes.js';

export interface TokenInfo {
  token: string;
  caHash: string;
  hubUrl: string;
  command: string;
  /** Installs the agent package from the hub and enrols (null for a hub URL with a path). */
  installCommand: string | null;
}

/** A real `bascule-hub serve` process on loopback, on ports chosen by the OS (kept across restarts). */
export class HubProcess {
  proc!: Proc;
  httpPort = 0;
  mqttPort = 0;
  /** The SSH gateway's port (chosen by the OS at first start, kept across restarts). */
  sshPort = 0;
  caHash = '';
  /** The one-time admin password printed at first start. */
  adminPassword = '';
  /**
   * A command that runs node in another place (`nsenter -t PID -m`: a private mount namespace), for
   * `serve` and the CLI alike; empty: node itself.
   */
  launcher: string[] = [];

  /** @param extraArgs more `serve` flags (`--glpi-url URL`). */
  constructor(
    readonly dataDir: string,
    readonly extraArgs: readonly string[] = [],
  ) {}

  /** The binary to spawn: node, or the launcher's. */
  get nodeBin(): string {
    return this.launcher[0] ?? process.execPath;
  }

  /** Arguments for {@link nodeBin}: the launcher's own, node, then `args`. */
  nodeArgs(args: string[]): string[] {
    return this.launcher.length > 0 ? [...this.launcher.slice(1), process.execPath, ...args] : args;
  }

  get url(): string {
    return `https://127.0.0.1:${this.httpPort}`;
  }

  async start(): Promise<this> {
    // A hub on PostgreSQL has no bascule.db: its PKI (created at the first start) says it started before.
    const firstStart = !['bascule.db', 'tls'].some((f) => fs.existsSync(path.join(this.dataDir, f)));
    this.proc = spawnNode(
      this.nodeArgs([
        HUB_BIN,
        'serve',
        '--data',
        this.dataDir,
        '--host',
        '127.0.0.1',
        '--public-host',
        '127.0.0.1',
        '--http-port',
        String(this.httpPort),
        '--mqtt-port',
        String(this.mqttPort),
        '--ssh-port',
        String(this.sshPort),
        ...this.extraArgs,
      ]),
      { BASCULE_LOG_LEVEL: 'debug' },
      this.nodeBin,
    );
    const ready = await this.proc.waitFor(() => this.proc.logs().find((l) => l.msg === 'hub ready'), 'hub ready');
    this.httpPort = ready.httpPort as number;
    this.mqttPort = ready.mqttPort as number;
    this.sshPort = ready.sshPort as number;
    this.caHash = ready.caHash as string;
    if (firstStart) await this.readAdminPassword();
    return this;
  }

  /**
   * The one-time password of a first start. `serve` prints it to stderr after `hub ready` went to
   * stdout: the two pipes arrive in either order, so wait for it.
   */
  protected async readAdminPassword(): Promise<void> {
    const banner = () => this.proc.stderr.join('\n').match(/one-time password: (\S+)/)?.[1];
    this.adminPassword = await this.proc.waitFor(banner, 'one-time admin password');
  }

  async stop(): Promise<void> {
    await this.proc.stop('SIGTERM');
  }

  async kill(): Promise<void> {
    await this.proc.stop('SIGKILL');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async createToken(
    department: string,
    opts: { uses?: number; expires?: string; hubUrl?: string } = {},
  ): Promise<TokenInfo> {
    const args = [HUB_BIN, 'token', 'create', '--data', this.dataDir, '--department', department, '--json'];
    if (opts.uses) args.push('--uses', String(opts.uses));
    if (opts.expires) args.push('--expires', opts.expires);
    if (opts.hubUrl) args.push('--hub-url', opts.hubUrl);
    const r = await runNode(this.nodeArgs(args), { nodeBin: this.nodeBin });
    if (r.code !== 0) throw new Error(`token create failed (${r.code}): ${r.stderr}`);
    return JSON.parse(r.stdout) as TokenInfo;
  }

  /** `user add` through the CLI, with an SSH public key file for the gateway when given. */
  async addUser(name: string, role: string, password: string, sshKeyFile?: string) {
    const key = sshKeyFile ? ['--ssh-key', sshKeyFile] : [];
    return runNode(
      this.nodeArgs([HUB_BIN, 'user', 'add', name, '--role', role, '--password-stdin', ...key, '--data', this.dataDir]),
      { input: `${password}\n`, nodeBin: this.nodeBin },
    );
  }
}

export async function startHub(extraArgs: readonly string[] = []): Promise<HubProcess> {
  return new HubProcess(tempDir('hub'), extraArgs).start();
}
