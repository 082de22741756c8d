import type { Clock } from '../core/clock.js';
import type { AgentPackage } from '../install/agent-package.repository.js';
import type { HostResult, Outcome } from './host-result.js';
import type { SshTarget } from './hosts-file.js';
import { ConnectError, type HostConnector, type RemoteHost } from './ssh-host.connector.js';

export interface EnrollSshJob {
  targets: readonly SshTarget[];
  username: string;
  privateKey: Buffer;
  parallel: number;
  /** The token file written to each host, as the package's postinst reads it. */
  enrolment: { hubUrl: string; token: string; caHash: string };
  pkg: AgentPackage;
  /** The same package repacked with zstd (zstd-copy.ts), copied instead to hosts whose dpkg reads zstd. */
  zstdPkg?: AgentPackage;
  openPackage: (pkg: AgentPackage) => NodeJS.ReadableStream;
  /** Called after each host, in completion order (the progress line). */
  onResult?: (result: HostResult, done: readonly HostResult[]) => void;
}

const TEMP_DIR = /^\/tmp\/bascule-enroll\.[A-Za-z0-9]+$/;
const DEVICE_ID = 's/.*"deviceId" *: *"\\([^"]*\\)".*/\\1/p';

class HostFailure extends Error {
  constructor(
    readonly outcome: Outcome,
    message: string,
    readonly deviceId: string | null = null,
  ) {
    super(message);
  }
}

/**
 * Enrols machines over SSH: connect, check, copy the agent package, install it with sudo, enrol from
 * the token file the postinst reads. Hosts run in parallel up to a limit; one host's failure never stops
 * the others, and each ends with an outcome and a sentence for the result table.
 */
export class EnrollSshService {
  constructor(
    private readonly connector: HostConnector,
    private readonly clock: Clock,
  ) {}

  async run(job: EnrollSshJob): Promise<HostResult[]> {
    const results: HostResult[] = new Array(job.targets.length);
    const done: HostResult[] = [];
    let next = 0;
    const worker = async () => {
      while (next < job.targets.length) {
        const index = next++;
        const result = await this.enrolOne(job.targets[index] as SshTarget, job);
        results[index] = result;
        done.push(result);
        job.onResult?.(result, done);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(job.parallel, job.targets.length)) }, worker));
    return results;
  }

  private async enrolOne(target: SshTarget, job: EnrollSshJob): Promise<HostResult> {
    const started = this.clock.now().getTime();
    const finish = (outcome: Outcome, detail: string, deviceId: string | null = null): HostResult => ({
      target,
      outcome,
      deviceId,
      detail,
      seconds: (this.clock.now().getTime() - started) / 1000,
    });
    let host: RemoteHost | undefined;
    try {
      host = await this.connector.connect(target, { username: job.username, privateKey: job.privateKey });
      return await this.install(host, job, finish);
    } catch (err) {
      if (err instanceof ConnectError) return finish(err.outcome, err.message);
      if (err instanceof HostFailure) return finish(err.outcome, err.message, err.deviceId);
      return finish('failed', (err as Error).message);
    } finally {
      host?.close();
    }
  }

  private async install(
    host: RemoteHost,
    job: EnrollSshJob,
    finish: (outcome: Outcome, detail: string, deviceId?: string | null) => HostResult,
  ): Promise<HostResult> {
    const sudo = job.username === 'root' ? '' : 'sudo -n ';
    if (sudo) {
      const r = await host.exec('sudo -n true', { timeoutMs: 30_000 });
      if (r.code !== 0) {
        throw new HostFailure(
          'failed',
          `sudo needs a password for ${job.username} (${firstLine(r.stderr) || `exit ${r.code}`}): give it NOPASSWD sudo, or use root`,
        );
      }
    }
    // dpkg-deb lists the compressions it knows in its help: zstd on Debian 12 and on Ubuntu's and Zorin's.
    const probe = await host.exec(
      `${sudo}sh -c 'dpkg --print-architecture 2>/dev/null || echo none; (. /etc/os-release && echo "$ID $ID_LIKE") 2>/dev/null || echo unknown; dpkg-deb --help 2>/dev/null | grep -q zstd && echo zstd || echo no-zstd; [ -s /var/lib/bascule-agent/identity.json ] && sed -n ${shq(DEVICE_ID)} /var/lib/bascule-agent/identity.json; true'`,
      { timeoutMs: 30_000 },
    );
    const [arch = '', os = '', zstd = '', deviceId = ''] = probe.stdout.split('\n').map((l) => l.trim());
    if (probe.code !== 0) throw new HostFailure('failed', `checking the system failed: ${firstLine(probe.stderr)}`);
    if (deviceId) return finish('already-enrolled', 'the agent is already enrolled here', deviceId);
    if (arch !== 'amd64') throw new HostFailure('failed', `architecture ${arch}: the agent package is for amd64 only`);
    if (!/\b(debian|ubuntu)\b/.test(os))
      throw new HostFailure('failed', `unsupported system "${os}" (Debian or Ubuntu family only)`);

    // The package, copied over the SSH channel and checked on arrival.
    const pkg = zstd === 'zstd' && job.zstdPkg ? job.zstdPkg : job.pkg;
    const upload = await host.exec(
      `d=$(mktemp -d /tmp/bascule-enroll.XXXXXXXX) && cat >"$d/${pkg.fileName}" && sha256sum "$d/${pkg.fileName}" && echo "$d"`,
      { stdin: job.openPackage(pkg), timeoutMs: 600_000 },
    );
    const [sumLine = '', dir = ''] = upload.stdout.trim().split('\n');
    if (upload.code !== 0 || !TEMP_DIR.test(dir)) {
      throw new HostFailure(
        'failed',
        `copying the package failed: ${firstLine(upload.stderr) || `exit ${upload.code}`}`,
      );
    }
    try {
      if (sumLine.slice(0, 64) !== pkg.sha256)
        throw new HostFailure('failed', 'the package arrived damaged (sha256 differs)');
      const { hubUrl, token, caHash } = job.enrolment;
      const tokenFile = await host.exec(
        `${sudo}sh -c 'umask 077 && mkdir -p /etc/bascule && cat >/etc/bascule/enroll.token'`,
        {
          stdin: `# written by bascule-hub enroll-ssh\nhub=${hubUrl}\ntoken=${token}\nca-hash=${caHash}\n`,
          timeoutMs: 30_000,
        },
      );
      if (tokenFile.code !== 0)
        throw new HostFailure('failed', `writing /etc/bascule/enroll.token failed: ${firstLine(tokenFile.stderr)}`);

      const deb = `${dir}/${pkg.fileName}`;
      let installed = await host.exec(`${sudo}env DEBIAN_FRONTEND=noninteractive dpkg -i ${deb}`, {
        timeoutMs: 600_000,
      });
      if (installed.code !== 0) {
        // Missing dependencies: dpkg leaves the package unconfigured, apt-get completes it.
        installed = await host.exec(`${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -f -y -q`, {
          timeoutMs: 600_000,
        });
      }
      const enrolled = await host.exec(
        `${sudo}sh -c '[ -s /var/lib/bascule-agent/identity.json ] && sed -n ${shq(DEVICE_ID)} /var/lib/bascule-agent/identity.json; rm -f /etc/bascule/enroll.token'`,
        { timeoutMs: 30_000 },
      );
      const id = enrolled.stdout.trim();
      if (id) {
        const how = pkg === job.pkg ? '' : ' (zstd copy)';
        return finish('enrolled', `bascule-agent ${pkg.version} installed${how} and enrolled`, id);
      }
      const why = [...installed.stderr.split('\n'), ...installed.stdout.split('\n')]
        .filter((l) => /^bascule-agent: |^dpkg: error|^E: /.test(l))
        .join('; ');
      throw new HostFailure(
        'failed',
        installed.code !== 0
          ? `installing the package failed: ${why || firstLine(installed.stderr)}`
          : `not enrolled: ${why || 'no reason given'}`,
      );
    } finally {
      await host.exec(`rm -rf ${dir}`, { timeoutMs: 30_000 });
    }
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}

/** Single quotes inside the single-quoted `sh -c` argument. */
function shq(text: string): string {
  return `'\\''${text.replaceAll("'", "'\\''")}'\\''`;
}
