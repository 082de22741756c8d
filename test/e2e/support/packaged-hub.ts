import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
// Plain ESM helpers shared with `npm run package` and the package benchmarks.
import { runInChroot, spawnInChroot } from '../../../packaging/scripts/debian-chroot.mjs';
import { unitExecStart } from '../../../packaging/scripts/unit-exec.mjs';
import { HubProcess, type TokenInfo } from './hub.js';
import { Proc } from './processes.js';

/** A TCP port free on loopback now (the chroot shares the host's network). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The hub installed from bascule-hub.deb in a chroot, run as bascule-hub.service would run it (its
 * ExecStart with hub.conf, as the bascule-hub user: there is no systemd in a chroot), and its CLI
 * through /usr/bin/bascule-hub. The ports are fixed in /etc/bascule/hub.conf.
 */
export class PackagedHub extends HubProcess {
  constructor(
    readonly root: string,
    ports: { http: number; mqtt: number },
  ) {
    super('/var/lib/bascule-hub/data');
    this.httpPort = ports.http;
    this.mqttPort = ports.mqtt;
  }

  /** Writes the ports and the loopback address into /etc/bascule/hub.conf (after the packaged one). */
  configure(): void {
    const conf = join(this.root, 'etc/bascule/hub.conf');
    writeFileSync(
      conf,
      `${readFileSync(conf, 'utf8')}HOST=127.0.0.1\nPUBLIC_HOST=127.0.0.1\nHTTP_PORT=${this.httpPort}\nMQTT_PORT=${this.mqttPort}\n`,
    );
  }

  override async start(): Promise<this> {
    const unit = readFileSync(join(this.root, 'lib/systemd/system/bascule-hub.service'), 'utf8');
    if (!/^User=bascule-hub$/m.test(unit)) throw new Error('the unit no longer runs as bascule-hub');
    const { argv, env } = unitExecStart(unit, readFileSync(join(this.root, 'etc/bascule/hub.conf'), 'utf8'));
    const asUser = ['setpriv', '--reuid=bascule-hub', '--regid=bascule-hub', '--init-groups', '--', ...argv];
    const firstStart = !existsSync(join(this.root, this.dataDir, 'bascule.db'));
    this.proc = new Proc(spawnInChroot(this.root, asUser, env));
    const ready = await this.proc.waitFor(() => this.proc.logs().find((l) => l.msg === 'hub ready'), 'hub ready');
    this.caHash = ready.caHash as string;
    if (firstStart) await this.readAdminPassword();
    return this;
  }

  /** `bascule-hub ARGS` in the chroot, as root (the wrapper goes on as bascule-hub). */
  cli(args: string[]) {
    return runInChroot(this.root, ['bascule-hub', ...args]);
  }

  override async createToken(department: string, opts: { uses?: number; expires?: string } = {}): Promise<TokenInfo> {
    const args = ['token', 'create', '--department', department, '--json'];
    if (opts.uses) args.push('--uses', String(opts.uses));
    if (opts.expires) args.push('--expires', opts.expires);
    const r = await this.cli(args);
    if (r.code !== 0) throw new Error(`token create failed (${r.code}): ${r.stderr}`);
    return JSON.parse(r.stdout) as TokenInfo;
  }
}
