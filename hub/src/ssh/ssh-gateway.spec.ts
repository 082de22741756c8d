import { execFile, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LoginLimiter } from '../auth/login-limiter.js';
import { Logger } from '../core/logger.js';
import {
  type TerminalClient,
  type TerminalHandle,
  TerminalOpenError,
  type TerminalOpener,
  type TerminalRequest,
} from '../terminal/terminal.types.js';
import { FakeClock, testServices } from '../test-support.js';
import { SshGateway } from './ssh-gateway.js';

type Services = Awaited<ReturnType<typeof testServices>>;

/** Agent-like flow control: at most this many unacknowledged bytes in flight. */
const WINDOW = 512 * 1024;

/**
 * A terminal service that "runs" a few commands in process: enough to check what the gateway does
 * with requests, output, flow control, exit statuses and refusals.
 */
class FakeOpener implements TerminalOpener {
  requests: TerminalRequest[] = [];
  maxUnacked = 0;
  sent = 0;
  closes: string[] = [];

  async open(request: TerminalRequest, client: TerminalClient): Promise<TerminalHandle> {
    this.requests.push(request);
    if (request.user.role === 'viewer') {
      throw new TerminalOpenError('forbidden', 'viewer', { role: request.user.role });
    }
    if (request.deviceRef === 'pc-off') {
      throw new TerminalOpenError('device-offline', 'pc-off is offline', {
        hostname: 'pc-off',
        lastSeenAt: '2026-11-24T17:30:00Z',
      });
    }
    if (request.deviceRef !== 'pc1') {
      throw new TerminalOpenError('unknown-device', 'no such device', { device: request.deviceRef });
    }
    let inputBuffer = '';
    const finish = (code: number) => {
      client.exit(code, null);
      client.closed({ code: 'exit', message: 'exited' });
    };
    const handle: TerminalHandle = {
      id: 'sid',
      deviceId: 'DEV1',
      hostname: 'pc1',
      input: (data) => {
        if (request.command === 'cat') client.output('stdout', data, () => {});
        else inputBuffer += data.toString();
      },
      eof: () => {
        if (request.command === 'cat' || request.command === 'wc') {
          if (request.command === 'wc') client.output('stdout', Buffer.from(`${inputBuffer.length}\n`), () => {});
          finish(0);
        }
      },
      resize: () => {},
      close: (code) => {
        this.closes.push(code);
        client.closed({ code: code, message: 'closed by the hub side' });
      },
    };
    const cmd = request.command ?? '';
    setImmediate(() => {
      if (cmd === 'hello') {
        client.output('stdout', Buffer.from('hello from pc1\n'), () => {});
        finish(0);
      } else if (cmd === 'fail') {
        client.output('stdout', Buffer.from('some output\n'), () => {});
        client.output('stderr', Buffer.from('oops\n'), () => {});
        finish(3);
      } else if (cmd === 'describe') {
        const { pty, term, as, size, mode } = request;
        client.output('stdout', Buffer.from(`${JSON.stringify({ pty, term, as, size, mode })}\n`), () => {});
        finish(0);
      } else if (cmd.startsWith('big ')) {
        this.stream(client, Number(cmd.slice(4)), () => finish(0));
      }
      // `cat`, `wc` and shells wait for input.
    });
    return handle;
  }

  /** Writes `total` bytes in 64 KiB frames, never more than WINDOW unacknowledged. */
  private stream(client: TerminalClient, total: number, done: () => void) {
    let acked = 0;
    const pump = () => {
      while (this.sent < total && this.sent - acked < WINDOW) {
        const n = Math.min(65536, total - this.sent);
        const chunk = bigChunk(this.sent / 65536, n);
        this.sent += n;
        this.maxUnacked = Math.max(this.maxUnacked, this.sent - acked);
        client.output('stdout', chunk, () => {
          acked += n;
          if (acked === total) done();
          else setImmediate(pump);
        });
      }
    };
    pump();
  }
}

const BLOCK = createHash('sha512').update('bascule').digest().toString('hex').repeat(512).slice(0, 65536);

/** Chunk `index` of the `big` command's output: a fixed block stamped with its index. */
function bigChunk(index: number, n: number): Buffer {
  const chunk = Buffer.from(BLOCK.slice(0, n));
  chunk.writeUInt32BE(index, 0);
  return chunk;
}

function expectedBig(total: number): string {
  const hash = createHash('sha256');
  for (let done = 0; done < total; done += 65536) hash.update(bigChunk(done / 65536, Math.min(65536, total - done)));
  return hash.digest('hex');
}

interface SshResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

describe('SshGateway with the OpenSSH client', () => {
  let s: Services;
  let opener: FakeOpener;
  let gateway: SshGateway;
  let port: number;
  let keyDir: string;
  const key = (name: string) => path.join(keyDir, name);

  function ssh(
    login: string,
    args: string[],
    opts: {
      keyName?: string;
      input?: string;
      env?: NodeJS.ProcessEnv;
      onSpawn?: (kill: () => void) => void;
      /** Do not read ssh's stdout before this: the client stops reading, as a stuck terminal would. */
      readAfter?: Promise<void>;
    } = {},
  ): Promise<SshResult> {
    // Options given first win with OpenSSH, so a test's own `-o` overrides the defaults below.
    const argv = [
      ...args.slice(0, -1),
      '-p',
      String(port),
      '-i',
      key(opts.keyName ?? 'alice'),
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'BatchMode=yes',
      '-o',
      'LogLevel=ERROR',
      '-F',
      '/dev/null',
      '-o',
      'SendEnv=LANG LC_*',
      `${login}@127.0.0.1`,
      ...args.slice(-1),
    ];
    return new Promise((resolve) => {
      const child = spawn('ssh', argv, {
        env: { PATH: process.env.PATH, HOME: keyDir, LANG: 'C.UTF-8', ...opts.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      let err = '';
      void (opts.readAfter ?? Promise.resolve()).then(() => child.stdout.on('data', (d: Buffer) => out.push(d)));
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
      });
      child.stdin.end(opts.input ?? '');
      opts.onSpawn?.(() => child.kill());
      child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
    });
  }

  beforeAll(async () => {
    const services = await testServices();
    keyDir = fs.mkdtempSync(path.join(services.dir, 'keys-'));
    await services.close();
    for (const name of ['alice', 'victor', 'stranger']) {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key(name)]);
    }
  });

  let clock: FakeClock;
  async function startGateway(idleTimeoutMs = 5_000): Promise<void> {
    const logger = new Logger((l) => s.lines.push(l), 'debug');
    clock = new FakeClock();
    gateway = new SshGateway(s.sshKeys, opener, new LoginLimiter(clock), logger, {
      host: '127.0.0.1',
      port: 0,
      hostKeyFile: path.join(s.dir, 'ssh', 'host_ed25519_key'),
      authTimeoutMs: 5_000,
      idleTimeoutMs,
    });
    port = await gateway.start();
  }
  beforeEach(async () => {
    s = await testServices();
    opener = new FakeOpener();
    await s.users.create({ username: 'alice', role: 'helpdesk', password: 'la mairie passe à Zorin OS' }, 'spec');
    await s.users.create({ username: 'victor', role: 'viewer', password: 'la mairie passe à Zorin OS' }, 'spec');
    await s.sshKeys.addByUsername('alice', fs.readFileSync(key('alice.pub'), 'utf8'), 'spec');
    await s.sshKeys.addByUsername('victor', fs.readFileSync(key('victor.pub'), 'utf8'), 'spec');
    await startGateway();
  });
  afterEach(async () => {
    await gateway.stop();
    await s.close();
  });

  it('runs a command on the device and returns its output, stderr and exit status', async () => {
    const ok = await ssh('alice+pc1', ['hello']);
    expect(ok.stdout.toString()).toBe('hello from pc1\n');
    expect(ok.code).toBe(0);
    const failed = await ssh('alice+pc1', ['fail']);
    expect(failed.stdout.toString()).toBe('some output\n');
    expect(failed.stderr).toBe('oops\n');
    expect(failed.code).toBe(3);
    expect(opener.requests[0]).toMatchObject({
      user: { username: 'alice', role: 'helpdesk' },
      deviceRef: 'pc1',
      via: 'ssh',
      mode: 'exec',
      command: 'hello',
      pty: false,
      as: 'root',
      clientAddress: '127.0.0.1',
    });
    const [row] = await s.database.db
      .selectFrom('ssh_keys')
      .select('last_used_at')
      .where('comment', '=', 'alice')
      .execute();
    expect(row?.last_used_at).toBeTruthy();
  });

  it('passes stdin and its end, a pty when asked (ssh -t) with TERM, and +user', async () => {
    expect((await ssh('alice+pc1', ['cat'], { input: 'ligne 1\nligne 2\n' })).stdout.toString()).toBe(
      'ligne 1\nligne 2\n',
    );
    const withPty = await ssh('alice+pc1+user', ['-tt', 'describe'], { env: { TERM: 'xterm-spec' } });
    expect(JSON.parse(withPty.stdout.toString().trim())).toMatchObject({
      pty: true,
      term: 'xterm-spec',
      as: 'user',
      mode: 'exec',
    });
  });

  it('streams a large output intact; a client that stops reading stops the output', async () => {
    const total = 64 * 1024 * 1024;
    let read = () => {};
    const r = ssh('alice+pc1', [`big ${total}`], { readAfter: new Promise((resolve) => (read = resolve)) });
    await waitFor(() => opener.sent > 0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // ssh's pipe, the SSH window and the channel's buffer hold a few MiB; nothing more was produced.
    expect(opener.sent).toBeLessThan(8 * 1024 * 1024);
    read();
    const done = await r;
    expect(done.code).toBe(0);
    expect(done.stdout.length).toBe(total);
    expect(createHash('sha256').update(done.stdout).digest('hex')).toBe(expectedBig(total));
  });

  it('says why a session cannot open, in French by default and in English for an English locale', async () => {
    const fr = await ssh('alice+pc-off', ['hello']);
    expect(fr.code).toBe(255);
    expect(fr.stderr).toMatch(/^bascule: pc-off est hors ligne depuis le 24\/11\/2026/);
    const en = await ssh('alice+pc-off', ['hello'], { env: { LANG: 'en_GB.UTF-8' } });
    expect(en.stderr).toMatch(/^bascule: pc-off is offline since 24\/11\/2026/);
    const unknown = await ssh('alice+nope', ['hello']);
    expect(unknown.stderr).toContain("aucun poste ne s'appelle « nope »");
    const noDevice = await ssh('alice', ['hello'], { env: { LANG: 'en_US.UTF-8' } });
    expect(noDevice.code).toBe(255);
    expect(noDevice.stderr).toContain('name the device in the user name: ssh -p 2222 alice+pc-compta-12@');
  });

  it("lets a viewer's key in, then refuses the session with a message and status 1", async () => {
    const r = await ssh('victor+pc1', ['hello'], { keyName: 'victor' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('votre rôle (viewer) ne permet pas');
    expect(r.stdout.length).toBe(0);
  });

  it('refuses an unknown key, and a known key presented for another account', async () => {
    const stranger = await ssh('alice+pc1', ['hello'], { keyName: 'stranger' });
    expect(stranger.code).toBe(255);
    expect(stranger.stderr).toContain('Permission denied (publickey)');
    const borrowed = await ssh('victor+pc1', ['hello'], { keyName: 'alice' });
    expect(borrowed.stderr).toContain('Permission denied (publickey)');
    expect(opener.requests).toHaveLength(0);
  });

  it('refuses port forwarding both ways, and sftp', async () => {
    const remote = await ssh('alice+pc1', ['-N', '-o', 'ExitOnForwardFailure=yes', '-R', '0:127.0.0.1:9', '']);
    expect(remote.code).toBe(255);
    expect(remote.stderr).toMatch(/remote port forwarding failed/);

    const localPort = await freePort();
    let stop = () => {};
    const local = ssh('alice+pc1', ['-o', 'LogLevel=INFO', '-N', '-L', `${localPort}:127.0.0.1:${port}`, ''], {
      onSpawn: (kill) => {
        stop = kill;
      },
    });
    await waitFor(() => canConnect(localPort));
    const banner = await readFrom(localPort);
    expect(banner).toBe(''); // the forwarded connection is closed without a byte
    stop();
    expect((await local).stderr).toMatch(/open failed: administratively prohibited/);

    const sftp = await ssh('alice+pc1', ['-s', 'sftp']);
    expect(sftp.code).not.toBe(0);
    expect(opener.requests).toHaveLength(0);
  });

  it('slows down an address after repeated failures, then lets the right key in once the wait is over', async () => {
    for (let i = 0; i < 6; i++) {
      expect((await ssh('alice+pc1', ['hello'], { keyName: 'stranger' })).code).toBe(255);
    }
    const throttled = await ssh('alice+pc1', ['hello']);
    expect(throttled.stderr).toContain('Permission denied (publickey)');
    expect(s.lines.some((l) => l.includes('ssh authentication throttled'))).toBe(true);
    clock.advance(60_000);
    expect((await ssh('alice+pc1', ['hello'])).code).toBe(0);
  });

  it('closes an authenticated connection that opens no session', async () => {
    await gateway.stop();
    await startGateway(300);
    const t0 = Date.now();
    const r = await ssh('alice+pc1', ['-N', '']);
    expect(r.code).toBe(255);
    expect(Date.now() - t0).toBeLessThan(4_000);
    expect(s.lines.some((l) => l.includes('idle without a session'))).toBe(true);
  });

  it('keeps its host key across restarts, in a 0600 file', async () => {
    // Asynchronous: the gateway answers from this very process.
    const scan = async () => (await run('ssh-keyscan', ['-t', 'ed25519', '-p', String(port), '127.0.0.1'])).trim();
    const before = await scan();
    const fingerprint = gateway.fingerprint;
    await gateway.stop();
    await startGateway();
    expect((await scan()).split(' ').slice(1)).toEqual(before.split(' ').slice(1));
    expect(gateway.fingerprint).toBe(fingerprint);
    const file = path.join(s.dir, 'ssh', 'host_ed25519_key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const listed = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' });
    expect(listed.split(' ')[1]).toBe(fingerprint);
  });

  it('ends running sessions with a message when stopping, so the process can exit', async () => {
    let started = false;
    const running = ssh('alice+pc1', ['-tt', 'sleep-forever']);
    await waitFor(async () => {
      started = opener.requests.length === 1;
      return started;
    });
    await gateway.stop();
    const r = await running;
    expect(r.code).toBe(255);
    expect(r.stderr).toContain('bascule: le hub redémarre ; session terminée');
    expect(opener.closes).toEqual(['hub-stopping']);
    expect(gateway.connectionCount).toBe(0);
    await startGateway(); // for afterEach
  });
});

function run(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

function readFrom(port: number): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const sock = net.connect(port, '127.0.0.1');
    sock.on('data', (d) => {
      got += d.toString();
    });
    sock.on('close', () => resolve(got));
    sock.on('error', () => resolve(got));
    setTimeout(() => sock.destroy(), 3_000).unref();
  });
}

async function waitFor(check: () => Promise<boolean> | boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
