import ssh2, { type Client } from 'ssh2';
import type { SshTarget } from './hosts-file.js';
import type { KnownHostsRepository } from './known-hosts.repository.js';

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A shell on one host, reached over SSH. */
export interface RemoteHost {
  /** Runs a command line in the login shell; `stdin` is sent and closed. Resolves with any exit code. */
  exec(command: string, opts?: { stdin?: string | NodeJS.ReadableStream; timeoutMs?: number }): Promise<ExecResult>;
  close(): void;
}

/** Why a host could not be reached or entered: the result table's outcome and sentence. */
export class ConnectError extends Error {
  override name = 'ConnectError';
  constructor(
    readonly outcome: 'unreachable' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

export interface HostConnector {
  connect(target: SshTarget, auth: { username: string; privateKey: Buffer }): Promise<RemoteHost>;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

/** The ssh2 client: host keys checked against the known_hosts repository (accept-new). */
export class Ssh2HostConnector implements HostConnector {
  constructor(
    private readonly knownHosts: KnownHostsRepository,
    private readonly timeoutMs: number,
  ) {}

  connect(target: SshTarget, auth: { username: string; privateKey: Buffer }): Promise<RemoteHost> {
    return new Promise((resolve, reject) => {
      const client = new ssh2.Client();
      let verdict: string | undefined;
      client.on('ready', () => resolve(new Ssh2RemoteHost(client)));
      client.on('error', (err: Error & { code?: string; level?: string }) => {
        client.end();
        if (verdict === 'changed') {
          reject(
            new ConnectError(
              'failed',
              `host key changed since it was recorded in ${this.knownHosts.file}: refused (if the machine was reinstalled, remove its line there)`,
            ),
          );
        } else if (err.level === 'client-authentication') {
          reject(new ConnectError('failed', `${auth.username} was refused: the key is not authorised on this host`));
        } else if (err.level === 'client-timeout' || (err.code && UNREACHABLE.has(err.code))) {
          reject(new ConnectError('unreachable', `${err.code ?? 'timeout'}: ${err.message}`));
        } else {
          reject(new ConnectError('failed', `ssh: ${err.message}`));
        }
      });
      client.connect({
        host: target.host,
        port: target.port,
        username: auth.username,
        privateKey: auth.privateKey,
        readyTimeout: this.timeoutMs,
        hostVerifier: (key: Buffer) => {
          verdict = this.knownHosts.check(target.host, target.port, key);
          return verdict !== 'changed';
        },
      });
    });
  }
}

class Ssh2RemoteHost implements RemoteHost {
  constructor(private readonly client: Client) {}

  exec(
    command: string,
    opts: { stdin?: string | NodeJS.ReadableStream; timeoutMs?: number } = {},
  ): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, stream) => {
        if (err) return reject(err);
        let stdout = '';
        let stderr = '';
        let code: number | null = null;
        const timer = setTimeout(() => {
          stream.close();
          reject(new Error(`timed out after ${(opts.timeoutMs ?? 0) / 1000} s: ${command.slice(0, 60)}`));
        }, opts.timeoutMs ?? 300_000);
        stream.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
        stream.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
        stream.on('exit', (c: number | null) => (code = c));
        stream.on('close', () => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
        const input = opts.stdin;
        if (input === undefined) stream.end();
        else if (typeof input === 'string') stream.end(input);
        else {
          input.on('error', (e) => {
            stream.close();
            reject(e);
          });
          input.pipe(stream);
        }
      });
    });
  }

  close(): void {
    this.client.end();
  }
}
