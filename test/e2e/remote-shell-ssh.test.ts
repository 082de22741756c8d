import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AgentProcess,
  ApiClient,
  adminClient,
  eventually,
  HUB_BIN,
  type HubProcess,
  runNode,
  startHub,
  tempDir,
} from './support/index.js';
import { rssKiB, sshKeygen, sshOptions, sshRun, startAgentWith } from './support/ssh-client.js';

const PASSWORD = 'une phrase de passe pour les tests e2e';
const MiB = 1024 * 1024;

function run(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(bin, args, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

/** The real OpenSSH client through the real hub's gateway to a real agent, as the helpdesk uses it. */
describe('remote shell over SSH', () => {
  let hub: HubProcess;
  let agent: AgentProcess;
  let dir: string;
  let aliceKey: string;
  let victorKey: string;
  let strangerKey: string;
  const ssh = (login: string, command?: string, opts: Parameters<typeof sshRun>[4] & { key?: string } = {}) =>
    sshRun(hub.sshPort, opts.key ?? aliceKey, login, command, opts);

  beforeAll(async () => {
    dir = tempDir('ssh-e2e');
    aliceKey = sshKeygen(dir, 'alice');
    victorKey = sshKeygen(dir, 'victor');
    strangerKey = sshKeygen(dir, 'stranger');
    hub = await startHub();
    // The one-time password is printed just after "hub ready": wait for it before signing in.
    hub.adminPassword = await hub.proc.waitFor(
      () => hub.proc.stderr.join('\n').match(/one-time password: (\S+)/)?.[1],
      'the one-time admin password',
    );
    for (const [name, role, key] of [
      ['alice', 'helpdesk', aliceKey],
      ['victor', 'viewer', victorKey],
    ] as const) {
      const r = await runNode(
        [
          HUB_BIN,
          'user',
          'add',
          name,
          '--role',
          role,
          '--password-stdin',
          '--ssh-key',
          `${key}.pub`,
          '--data',
          hub.dataDir,
        ],
        { input: `${PASSWORD}\n` },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/SSH key SHA256:\S+ \(ssh-ed25519\) added/);
    }
    agent = await startAgentWith(hub);
    const admin = await adminClient(hub);
    await eventually(async () => {
      const r = await admin.get<{ online: boolean }>(`/api/v1/devices/${agent.deviceId}`);
      return r.body.online;
    }, 'agent online');
  });

  afterAll(async () => {
    await agent?.stop();
    await hub?.stop();
  });

  it('runs a command on the device named by hostname, with its output, stderr and exit status', async () => {
    const r = await ssh(`alice+${agent.hostname}`, 'echo "bonjour $(id -un)"; echo oups >&2; exit 7');
    expect(r.stdout.toString()).toBe('bonjour root\n');
    expect(r.stderr).toBe('oups\n');
    expect(r.code).toBe(7);
    const ok = await ssh(`alice+${agent.deviceId}`, 'printf %s "$TERM"');
    expect(ok.code).toBe(0);
  });

  it('opens an interactive shell under tmux, sees a resize with stty size, and records it for asciinema', async () => {
    const sock = path.join(dir, 'tmux.sock');
    const tmux = (...args: string[]) => run('tmux', ['-S', sock, ...args]);
    const command = ['ssh', ...sshOptions(hub.sshPort, aliceKey), '-tt', `alice+${agent.deviceId}@127.0.0.1`]
      .map((a) => `'${a}'`)
      .join(' ');
    await tmux('new-session', '-d', '-s', 'helpdesk', '-x', '100', '-y', '30', command);
    const screen = () => tmux('capture-pane', '-p', '-t', 'helpdesk');
    const size = async () => (await tmux('display', '-p', '-t', 'helpdesk', '#{pane_height} #{pane_width}')).trim();
    try {
      await eventually(async () => /[#$] ?$/m.test(await screen()), 'a prompt');
      await tmux('send-keys', '-t', 'helpdesk', 'stty size', 'Enter');
      const first = await size();
      await eventually(async () => (await screen()).includes(first), `stty size ${first}`);
      await tmux('resize-window', '-t', 'helpdesk', '-x', '120', '-y', '40');
      const second = await size();
      expect(second).not.toBe(first);
      await tmux('send-keys', '-t', 'helpdesk', 'clear; stty size', 'Enter');
      await eventually(async () => (await screen()).includes(second), `stty size ${second} after the resize`);
      await tmux('send-keys', '-t', 'helpdesk', 'exit', 'Enter');
      await eventually(
        () =>
          tmux('has-session', '-t', 'helpdesk').then(
            () => false,
            () => true,
          ),
        'the ssh client to exit',
      );
    } finally {
      await tmux('kill-server').catch(() => undefined);
    }

    const recordings = path.join(hub.dataDir, 'recordings');
    const cast = await eventually(async () => {
      for (const file of fs.readdirSync(recordings)) {
        const text = fs.readFileSync(path.join(recordings, file), 'utf8');
        if (text.includes('stty size') && text.includes('"r"')) return path.join(recordings, file);
      }
      return undefined;
    }, 'the recording of the interactive session');
    // asciinema cat reads /dev/tty: give it one with script(1).
    const played = await run('script', ['-q', '-e', '-c', `asciinema cat '${cast}'`, '/dev/null']);
    expect(played).toContain('stty size');
    expect(played).toMatch(/40 1\d\d/);
  });

  it('brings 50 MB intact while hub and agent memory stay bounded', async () => {
    const file = path.join(dir, 'big.bin');
    execFileSync('head', ['-c', String(50 * 1000 * 1000), '/dev/urandom'], {
      stdio: ['ignore', fs.openSync(file, 'w'), 'inherit'],
    });
    const expected = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const hubPid = hub.proc.child.pid as number;
    const agentPid = agent.proc?.child.pid as number;
    const before = { hub: rssKiB(hubPid), agent: rssKiB(agentPid) };
    const peak = { ...before };
    const sampler = setInterval(() => {
      peak.hub = Math.max(peak.hub, rssKiB(hubPid));
      peak.agent = Math.max(peak.agent, rssKiB(agentPid));
    }, 50);
    const hash = createHash('sha256');
    let bytes = 0;
    const t0 = performance.now();
    const r = await ssh(`alice+${agent.deviceId}`, `cat ${file}`, {
      onStdout: (chunk) => {
        hash.update(chunk);
        bytes += chunk.length;
      },
    }).finally(() => clearInterval(sampler));
    const seconds = (performance.now() - t0) / 1000;
    expect(r.code, r.stderr).toBe(0);
    expect(bytes).toBe(50 * 1000 * 1000);
    expect(hash.digest('hex')).toBe(expected);
    const growth = { hub: (peak.hub - before.hub) / 1024, agent: (peak.agent - before.agent) / 1024 };
    console.log(
      `50 MB over ssh in ${seconds.toFixed(1)} s (${(50 / seconds).toFixed(1)} MB/s); RSS before/peak: hub ${(before.hub / 1024).toFixed(0)}/${(peak.hub / 1024).toFixed(0)} MiB, agent ${(before.agent / 1024).toFixed(0)}/${(peak.agent / 1024).toFixed(0)} MiB`,
    );
    // Buffering the transfer anywhere would add 50 MB or more.
    expect(growth.hub * MiB).toBeLessThan(32 * MiB);
    expect(growth.agent * MiB).toBeLessThan(32 * MiB);
  });

  it("refuses an unknown key, and lets a viewer's key in only to say no", async () => {
    const stranger = await ssh(`alice+${agent.deviceId}`, 'true', { key: strangerKey });
    expect(stranger.code).toBe(255);
    expect(stranger.stderr).toContain('Permission denied (publickey)');
    const viewer = await ssh(`victor+${agent.deviceId}`, 'true', { key: victorKey, env: { LANG: 'en_US.UTF-8' } });
    expect(viewer.code).toBe(1);
    expect(viewer.stderr).toContain('bascule: your role (viewer) cannot open a terminal');
  });

  it('lets a user register a key over REST, use it, and lose it when removed (and an admin see it)', async () => {
    const laptopKey = sshKeygen(dir, 'alice-laptop');
    const alice = new ApiClient(hub.url);
    expect((await alice.post('/api/v1/auth/login', { username: 'alice', password: PASSWORD })).status).toBe(200);
    const bad = await alice.post<{ errorCodes: Record<string, string> }>('/api/v1/account/ssh-keys', {
      publicKey: fs.readFileSync(laptopKey, 'utf8'),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errorCodes.publicKey).toBe('SSH_KEY_PRIVATE');
    const added = await alice.post<{ id: string; fingerprint: string; userId: string }>('/api/v1/account/ssh-keys', {
      publicKey: fs.readFileSync(`${laptopKey}.pub`, 'utf8'),
    });
    expect(added.status).toBe(201);
    const printed = execFileSync('ssh-keygen', ['-lf', `${laptopKey}.pub`], { encoding: 'utf8' }).split(' ')[1];
    expect(added.body.fingerprint).toBe(printed);
    expect((await ssh(`alice+${agent.deviceId}`, 'echo via laptop', { key: laptopKey })).stdout.toString()).toBe(
      'via laptop\n',
    );
    const admin = await adminClient(hub);
    const listed = await admin.get<{ fingerprint: string; lastUsedAt: string | null }[]>(
      `/api/v1/users/${added.body.userId}/ssh-keys`,
    );
    expect(listed.body.find((k) => k.fingerprint === printed)?.lastUsedAt).toBeTruthy();
    expect((await alice.request('DELETE', `/api/v1/account/ssh-keys/${added.body.id}`)).status).toBe(200);
    const refused = await ssh(`alice+${agent.deviceId}`, 'true', { key: laptopKey });
    expect(refused.stderr).toContain('Permission denied (publickey)');
    const cliList = await runNode([HUB_BIN, 'user', 'ssh-key', 'list', 'alice', '--data', hub.dataDir]);
    expect(cliList.stdout).toContain('SHA256:');
    expect(cliList.stdout).not.toContain(printed);
  });

  it('closes the session when consent is required and nobody can give it', async () => {
    await agent.stop();
    agent = await startAgentWith(hub, ['--terminal-consent', 'always'], agent);
    const admin = await adminClient(hub);
    await eventually(async () => {
      const r = await admin.get<{ online: boolean }>(`/api/v1/devices/${agent.deviceId}`);
      return r.body.online;
    }, 'agent online again');
    const r = await ssh(`alice+${agent.deviceId}`, 'echo should not run');
    expect(r.code).toBe(255);
    expect(r.stdout.toString()).toBe('');
    // Nobody is signed in on this machine: whichever way the agent says it, the message is about consent.
    expect(r.stderr).toMatch(/^bascule: .*consentement/);
  });

  it('says since when a device is offline', async () => {
    await agent.stop();
    const admin = await adminClient(hub);
    await eventually(async () => {
      const r = await admin.get<{ online: boolean }>(`/api/v1/devices/${agent.deviceId}`);
      return !r.body.online;
    }, 'agent offline');
    const r = await ssh(`alice+${agent.hostname}`, 'true');
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(new RegExp(`^bascule: ${agent.hostname} est hors ligne depuis le \\d\\d/\\d\\d/\\d{4}`));
    const en = await ssh(`alice+${agent.hostname}`, 'true', { env: { LANG: 'en_GB.UTF-8' } });
    expect(en.stderr).toMatch(new RegExp(`^bascule: ${agent.hostname} is offline since`));
  });
});
