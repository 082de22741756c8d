import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { ProcessRunner } from '../ad-join/process-runner.js';
import { systemClock } from '../core/clock.js';
import { DEFAULT_HTTP_PORT, dataPaths } from '../core/settings.js';
import { EnrollSshService } from '../enroll-ssh/enroll-ssh.service.js';
import { exitCodeOf, progressLine, renderResultTable } from '../enroll-ssh/host-result.js';
import { parseHostsFile } from '../enroll-ssh/hosts-file.js';
import { KnownHostsRepository } from '../enroll-ssh/known-hosts.repository.js';
import { Ssh2HostConnector } from '../enroll-ssh/ssh-host.connector.js';
import { ZstdPackageCopies } from '../enroll-ssh/zstd-copy.js';
import { parseDuration } from '../enrolment/enrolment.service.js';
import { AgentPackageRepository, agentPackageLocations } from '../install/agent-package.repository.js';
import { readCaHash } from '../pki/pki.js';
import { openHubServices } from '../services.js';
import { parsePort, parsePositiveInt, resolveDataDir } from './common-options.js';
import { stderrLogger } from './token.command.js';

interface EnrollSshOptions {
  hosts: string;
  user: string;
  key?: string;
  parallel?: number;
  department?: string;
  data?: string;
  knownHosts?: string;
  package?: string;
  hubUrl?: string;
  port?: number;
  timeout?: number;
  json?: boolean;
  asIs?: boolean;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

@Command({
  name: 'enroll-ssh',
  description:
    'Install the agent over SSH on every host of a file and enrol it (parallel, one multi-use token, a result table)',
})
export class EnrollSshCommand extends CommandRunner {
  async run(_args: string[], o: EnrollSshOptions): Promise<void> {
    if (!o.hosts || !o.user) throw new Error('--hosts FILE and --user USER are required');
    const { targets, errors, duplicates } = parseHostsFile(fs.readFileSync(o.hosts, 'utf8'), o.port ?? 22);
    if (errors.length > 0) throw new Error(`${o.hosts}:\n  ${errors.join('\n  ')}`);
    if (duplicates.length > 0) process.stderr.write(`${o.hosts}: listed twice:\n  ${duplicates.join('\n  ')}\n`);
    if (targets.length === 0) throw new Error(`${o.hosts} lists no host`);
    const keyFile = o.key ?? DEFAULT_KEYS.map((k) => path.join(os.homedir(), '.ssh', k)).find((f) => fs.existsSync(f));
    if (!keyFile) throw new Error('no SSH key: give --key FILE (a private key without passphrase)');
    const privateKey = fs.readFileSync(keyFile);

    const dataDir = resolveDataDir(o.data);
    const paths = dataPaths(dataDir);
    const packages = new AgentPackageRepository(
      o.package ? [path.resolve(o.package)] : agentPackageLocations(process.env),
    );
    const { pkg, lookedIn } = await packages.find();
    if (!pkg) throw new Error(`no agent package in ${lookedIn.join(' or ')}: give --package FILE`);
    const runtime = fs.existsSync(paths.runtime)
      ? (JSON.parse(fs.readFileSync(paths.runtime, 'utf8')) as { url?: string; tlsCertFile?: string | null })
      : {};
    const caHash = readCaHash(paths.tlsDir, runtime.tlsCertFile ?? undefined);
    const hubUrl = (o.hubUrl ?? runtime.url ?? `https://${os.hostname()}:${DEFAULT_HTTP_PORT}`).replace(/\/+$/, '');

    const services = await openHubServices(dataDir, systemClock, stderrLogger());
    let token: string;
    try {
      // One token for the run, as many uses as hosts; hosts already enrolled do not spend one.
      token = (
        await services.enrolment.createToken({
          department: o.department ?? 'Non classé',
          uses: targets.length,
          expiresInMs: parseDuration('6h'),
          createdBy: `cli:enroll-ssh:${os.userInfo().username}`,
        })
      ).token;
    } finally {
      await services.close();
    }

    // Hosts whose dpkg reads zstd get the package repacked with zstd: the same files, unpacked in a third
    // of the CPU (zstd-copy.ts). Made once per package, in DATA/cache; --as-is sends the package itself.
    let zstdPkg: typeof pkg | undefined;
    if (!o.asIs) {
      try {
        zstdPkg = await new ZstdPackageCopies(path.join(dataDir, 'cache', 'zstd-packages'), new ProcessRunner()).copyOf(
          pkg,
        );
      } catch (err) {
        process.stderr.write(
          `No zstd copy of ${pkg.fileName} (${(err as Error).message}); every host gets the package as it is\n`,
        );
      }
    }

    const knownHosts = new KnownHostsRepository(path.resolve(o.knownHosts ?? path.join(dataDir, 'known_hosts')));
    const tty = process.stderr.isTTY === true;
    process.stderr.write(
      `Enrolling ${targets.length} host(s) as ${o.user} with ${pkg.fileName}, ${o.parallel ?? 10} at a time; hub ${hubUrl}; host keys: ${knownHosts.file}\n`,
    );
    const results = await new EnrollSshService(
      new Ssh2HostConnector(knownHosts, (o.timeout ?? 15) * 1000),
      systemClock,
    ).run({
      targets,
      username: o.user,
      privateKey,
      parallel: o.parallel ?? 10,
      enrolment: { hubUrl, token, caHash },
      pkg,
      zstdPkg,
      openPackage: (p) => packages.open(p),
      onResult: (_r, done) => {
        if (tty) process.stderr.write(`\r\x1b[K${progressLine(done, targets.length)}`);
      },
    });
    if (tty) process.stderr.write('\n');
    process.stdout.write(
      o.json
        ? `${JSON.stringify(results.map((r) => ({ host: r.target.label, outcome: r.outcome, deviceId: r.deviceId, detail: r.detail, seconds: r.seconds })))}\n`
        : renderResultTable(results),
    );
    process.exitCode = exitCodeOf(results);
  }

  @Option({ flags: '--hosts <file>', description: 'one host[:port] per line, # comments', required: true })
  parseHosts(v: string) {
    return v;
  }
  @Option({ flags: '--user <name>', description: 'SSH user: root, or one with passwordless sudo', required: true })
  parseUser(v: string) {
    return v;
  }
  @Option({ flags: '--key <file>', description: 'private key (default ~/.ssh/id_ed25519, id_ecdsa, id_rsa)' })
  parseKey(v: string) {
    return v;
  }
  @Option({ flags: '--parallel <n>', description: 'hosts at a time (default 10)' })
  parseParallel(v: string) {
    return parsePositiveInt(v);
  }
  @Option({ flags: '--department <name>', description: 'department of the enrolled desktops (default "Non classé")' })
  parseDepartment(v: string) {
    return v;
  }
  @Option({ flags: '--data <dir>', description: 'hub data directory' })
  parseData(v: string) {
    return v;
  }
  @Option({
    flags: '--known-hosts <file>',
    description: 'known_hosts file: new hosts are added, changed keys refused (default DATA/known_hosts)',
  })
  parseKnownHosts(v: string) {
    return v;
  }
  @Option({ flags: '--package <file>', description: 'agent .deb to install (default: the one the hub serves)' })
  parsePackage(v: string) {
    return v;
  }
  @Option({ flags: '--hub-url <url>', description: 'URL the desktops reach the hub by (default: the running hub)' })
  parseHubUrl(v: string) {
    return v;
  }
  @Option({ flags: '--port <port>', description: 'SSH port for hosts listed without one (default 22)' })
  parsePort(v: string) {
    return parsePort(v);
  }
  @Option({ flags: '--timeout <seconds>', description: 'SSH connection timeout (default 15)' })
  parseTimeout(v: string) {
    return parsePositiveInt(v);
  }
  @Option({
    flags: '--as-is',
    description: 'copy the package as it is to every host (default: a zstd repack to hosts whose dpkg reads zstd)',
  })
  parseAsIs() {
    return true;
  }
  @Option({ flags: '--json', description: 'print the results as JSON instead of a table' })
  parseJson() {
    return true;
  }
}
