import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../test-support.js';
import { type EnrollSshJob, EnrollSshService } from './enroll-ssh.service.js';
import type { SshTarget } from './hosts-file.js';
import { ConnectError, type ExecResult, type HostConnector, type RemoteHost } from './ssh-host.connector.js';

type Answer = (command: string, stdin: string) => Partial<ExecResult>;

/** A host whose commands are answered by the first matching rule; every command line is recorded. */
class FakeHost implements RemoteHost {
  readonly commands: string[] = [];
  stdinOfToken = '';
  closed = false;
  constructor(private readonly rules: Array<[RegExp, Answer]>) {}
  async exec(command: string, opts: { stdin?: string | NodeJS.ReadableStream } = {}): Promise<ExecResult> {
    this.commands.push(command);
    let stdin = '';
    if (typeof opts.stdin === 'string') stdin = opts.stdin;
    else if (opts.stdin) for await (const c of opts.stdin as AsyncIterable<Buffer>) stdin += c.toString();
    if (command.includes('enroll.token')) this.stdinOfToken ||= stdin;
    const rule = this.rules.find(([re]) => re.test(command));
    return { code: 0, stdout: '', stderr: '', ...(rule ? rule[1](command, stdin) : {}) };
  }
  close() {
    this.closed = true;
  }
}

const SHA = 'b'.repeat(64);
const healthy = (deviceAfterInstall = '01JDEVICE', zstd = 'no-zstd', sha = SHA): Array<[RegExp, Answer]> => {
  let installed = false;
  return [
    [/^sudo -n true$/, () => ({})],
    [/dpkg --print-architecture/, () => ({ stdout: `amd64\nubuntu debian\n${zstd}\n` })],
    [/mktemp -d/, () => ({ stdout: `${sha}  /tmp/bascule-enroll.AbC123/x.deb\n/tmp/bascule-enroll.AbC123\n` })],
    [
      /dpkg -i/,
      () => {
        installed = true;
        return {};
      },
    ],
    [/identity\.json; rm -f/, () => ({ stdout: installed ? `${deviceAfterInstall}\n` : '' })],
  ];
};

function job(targets: SshTarget[], over: Partial<EnrollSshJob> = {}): EnrollSshJob {
  return {
    targets,
    username: 'it',
    privateKey: Buffer.from('key'),
    parallel: 2,
    enrolment: { hubUrl: 'https://hub:8443', token: 'bt_secret_token_value_0000', caHash: `sha256:${'c'.repeat(64)}` },
    pkg: { file: '/x.deb', fileName: 'bascule-agent_0.1.0_amd64.deb', version: '0.1.0', bytes: 3, sha256: SHA },
    openPackage: () => Readable.from([Buffer.from('deb')]),
    ...over,
  };
}

const t = (n: number): SshTarget => ({ host: `pc${n}`, port: 22, label: `pc${n}:22` });

function connector(hosts: Record<string, FakeHost | ConnectError>): HostConnector {
  return {
    connect: async (target) => {
      const h = hosts[target.host];
      if (!h || h instanceof ConnectError) throw h ?? new Error('no such host');
      return h;
    },
  };
}

describe('EnrollSshService', () => {
  it('installs with sudo -n, writes the token from stdin, and reports each host in file order', async () => {
    const ok = new FakeHost(healthy());
    const already = new FakeHost([[/dpkg --print-architecture/, () => ({ stdout: 'amd64\ndebian\nzstd\n01JOLD\n' })]]);
    const results = await new EnrollSshService(
      connector({ pc1: ok, pc2: new ConnectError('unreachable', 'ECONNREFUSED'), pc3: already }),
      new FakeClock(),
    ).run(job([t(1), t(2), t(3)]));
    expect(results.map((r) => [r.target.label, r.outcome, r.deviceId])).toEqual([
      ['pc1:22', 'enrolled', '01JDEVICE'],
      ['pc2:22', 'unreachable', null],
      ['pc3:22', 'already-enrolled', '01JOLD'],
    ]);
    expect(
      ok.commands.some((c) =>
        c.startsWith('sudo -n env DEBIAN_FRONTEND=noninteractive dpkg -i /tmp/bascule-enroll.AbC123/'),
      ),
    ).toBe(true);
    // The token travels on stdin only, never in a command line.
    expect(ok.stdinOfToken).toMatch(/^token=bt_secret_token_value_0000$/m);
    expect(ok.commands.join('\n')).not.toContain('bt_secret_token_value_0000');
    expect(ok.commands.at(-1)).toBe('rm -rf /tmp/bascule-enroll.AbC123');
    expect(ok.closed && already.closed).toBe(true);
    // Nothing was copied to a host already enrolled.
    expect(already.commands.some((c) => c.includes('mktemp'))).toBe(false);
  });

  it('says what to fix: sudo asking for a password, another architecture, a failed enrolment', async () => {
    const sudo = new FakeHost([[/^sudo -n true$/, () => ({ code: 1, stderr: 'sudo: a password is required\n' })]]);
    const arm = new FakeHost([[/dpkg --print-architecture/, () => ({ stdout: 'arm64\ndebian\n' })]]);
    const refused = new FakeHost([
      ...healthy('').filter(([re]) => !/dpkg -i/.test(re.source)),
      [/dpkg -i/, () => ({ stderr: 'bascule-agent: enroll: the hub refused the token (expired)\n' })],
    ]);
    const results = await new EnrollSshService(connector({ pc1: sudo, pc2: arm, pc3: refused }), new FakeClock()).run(
      job([t(1), t(2), t(3)]),
    );
    expect(results.map((r) => r.outcome)).toEqual(['failed', 'failed', 'failed']);
    expect(results[0]?.detail).toMatch(
      /sudo needs a password for it \(sudo: a password is required\): give it NOPASSWD/,
    );
    expect(results[1]?.detail).toMatch(/architecture arm64/);
    expect(results[2]?.detail).toMatch(/not enrolled: bascule-agent: enroll: the hub refused the token \(expired\)/);
    // The copy is removed even when the host fails.
    expect(refused.commands.at(-1)).toBe('rm -rf /tmp/bascule-enroll.AbC123');
  });

  it('copies the zstd repack to hosts whose dpkg reads zstd, the package itself to the others', async () => {
    const ZSTD_SHA = 'e'.repeat(64);
    const zstdPkg = {
      file: '/cache/x.deb',
      fileName: 'bascule-agent_0.1.0_amd64.deb',
      version: '0.1.0',
      bytes: 4,
      sha256: ZSTD_SHA,
    };
    const modern = new FakeHost(healthy('01JMODERN', 'zstd', ZSTD_SHA));
    const old = new FakeHost(healthy('01JOLDDPKG', 'no-zstd'));
    const opened: string[] = [];
    const results = await new EnrollSshService(connector({ pc1: modern, pc2: old }), new FakeClock()).run(
      job([t(1), t(2)], {
        zstdPkg,
        openPackage: (p) => {
          opened.push(p.file);
          return Readable.from([Buffer.from('deb')]);
        },
      }),
    );
    expect(results.map((r) => [r.outcome, r.detail])).toEqual([
      ['enrolled', 'bascule-agent 0.1.0 installed (zstd copy) and enrolled'],
      ['enrolled', 'bascule-agent 0.1.0 installed and enrolled'],
    ]);
    expect(opened.sort()).toEqual(['/cache/x.deb', '/x.deb']);
    // The sha256 checked on arrival is the copy's own: a host told zstd but sent the xz package fails.
    const confused = new FakeHost(healthy('01JX', 'zstd', SHA));
    const [r] = await new EnrollSshService(connector({ pc1: confused }), new FakeClock()).run(job([t(1)], { zstdPkg }));
    expect(r?.detail).toBe('the package arrived damaged (sha256 differs)');
  });

  it('runs at most `parallel` hosts at a time', async () => {
    let running = 0;
    let peak = 0;
    const slow: HostConnector = {
      connect: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        throw new ConnectError('unreachable', 'timeout');
      },
    };
    const results = await new EnrollSshService(slow, new FakeClock()).run(
      job(
        Array.from({ length: 7 }, (_, i) => t(i)),
        { parallel: 3 },
      ),
    );
    expect(results).toHaveLength(7);
    expect(peak).toBe(3);
  });
});
