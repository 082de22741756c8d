import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENT_BIN,
  AgentProcess,
  type ApiClient,
  adminClient,
  eventually,
  type HubProcess,
  spawnNode,
  startHub,
  tempDir,
} from './support/index.js';
import { sshKeygen, sshRun } from './support/ssh-client.js';

/*
 * The person at the desktop, with the real agent and the real hub: consent asked and refused or
 * accepted, notifications of the session, and a shell as the signed-in user.
 *
 * This machine has no graphical session (no logind, no X server), so the desktop is played by three
 * small programs put first on the agent's PATH — `loginctl` (reports one active X11 session of a real
 * local account made for the test), `zenity` (answers the consent question as the test says, and
 * notes who asked it and as whom it ran) and `notify-send` (notes the notifications). Everything
 * else is real: the agent reaches them through `runuser` as that account, exactly as on a desktop.
 *
 * The first agent takes its consent from its own flags (`--terminal-consent always`); a second one,
 * started without them, gets it from a `remote-shell` policy created on the hub's REST API.
 */

const DESK_USER = 'bascule-bureau';
const PASSWORD = 'une phrase de passe pour les tests e2e';

const describeAsRoot = process.getuid?.() === 0 ? describe : describe.skip;

describeAsRoot('remote shell and the person at the desktop', () => {
  let hub: HubProcess;
  let agent: AgentProcess;
  let dir: string;
  let key: string;
  let uid = 0;
  let bin = '';
  const log = (name: string) => {
    const file = path.join(dir, `${name}.log`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  };
  const answer = (code: number) => fs.writeFileSync(path.join(dir, 'answer'), String(code));
  const ssh = (login: string, command: string) => sshRun(hub.sshPort, key, login, command);

  beforeAll(async () => {
    dir = tempDir('desktop');
    fs.chmodSync(dir, 0o755);
    execFileSync('useradd', ['--create-home', '--shell', '/bin/bash', DESK_USER]);
    uid = Number(execFileSync('id', ['-u', DESK_USER], { encoding: 'utf8' }).trim());

    bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const script = (name: string, body: string) =>
      fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    script(
      'loginctl',
      `case "$1" in
  list-sessions) echo '[{"session":"c2","uid":${uid},"user":"${DESK_USER}","seat":"seat0","tty":"tty2"}]' ;;
  show-session) printf 'Name=${DESK_USER}\\nUser=${uid}\\nType=x11\\nDisplay=:0\\nActive=yes\\nState=active\\n' ;;
  *) exit 1 ;;
esac`,
    );
    // The logs are written as the desktop user.
    for (const f of ['zenity.log', 'notify-send.log', 'answer']) {
      fs.writeFileSync(path.join(dir, f), '');
      fs.chmodSync(path.join(dir, f), 0o666);
    }
    script('zenity', `echo "$(id -un) DISPLAY=$DISPLAY $*" >> ${dir}/zenity.log\nexit "$(cat ${dir}/answer)"`);
    script('notify-send', `echo "$(id -un) $*" >> ${dir}/notify-send.log`);

    key = sshKeygen(dir, 'alice');
    hub = await startHub();
    const added = await hub.addUser('alice', 'helpdesk', PASSWORD, `${key}.pub`);
    expect(added.code, added.stderr).toBe(0);
    agent = await new AgentProcess(hub, tempDir('agent'), 1).enroll('Accueil');
    agent.proc = spawnNode(
      [
        AGENT_BIN,
        'run',
        '--state',
        agent.stateDir,
        '--heartbeat-seconds',
        '1',
        '--terminal-consent',
        'always',
        '--terminal-consent-timeout',
        '10',
      ],
      { PATH: `${bin}:${process.env.PATH}` },
    );
    const admin = await adminClient(hub);
    await eventually(
      async () => (await admin.get<{ online: boolean }>(`/api/v1/devices/${agent.deviceId}`)).body.online,
      'agent online',
    );
  });

  afterAll(async () => {
    await agent?.stop();
    await hub?.stop();
    try {
      execFileSync('userdel', ['--remove', DESK_USER], { stdio: 'ignore' });
    } catch {
      // userdel warns (and exits non-zero) about a missing mail spool; the account is gone anyway.
    }
  });

  it('asks the signed-in user, and closes the session when they refuse', async () => {
    answer(1);
    const r = await ssh(`alice+${agent.deviceId}`, 'echo ne doit pas tourner');
    expect(r.code).toBe(255);
    expect(r.stdout.toString()).toBe('');
    expect(r.stderr).toMatch(/^bascule: .*(refus|consentement)/m);
    const asked = log('zenity');
    expect(asked).toMatch(new RegExp(`^${DESK_USER} DISPLAY=:0 --question`, 'm'));
    expect(asked).toContain('Le service informatique (alice) demande à ouvrir un terminal');
    expect(asked).toContain("avec les droits d'administrateur");

    const admin = await adminClient(hub);
    const sessions = await admin.get<{ endReason: string | null }[]>(
      `/api/v1/terminal-sessions?filter=${encodeURIComponent(JSON.stringify({ deviceId: agent.deviceId }))}`,
    );
    expect(sessions.body.map((s) => s.endReason)).toContain('refused:consent-refused');
  });

  it('opens the session when they accept, and tells them when it opens and closes', async () => {
    answer(0);
    const r = await ssh(`alice+${agent.deviceId}`, 'echo accepté');
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toBe('accepté\n');
    expect(r.code).toBe(0);
    await eventually(() => /a fermé le terminal/.test(log('notify-send')), 'the closing notification');
    const notes = log('notify-send').trim().split('\n');
    expect(notes[0]).toMatch(
      new RegExp(`^${DESK_USER} .*Terminal à distance ouvert.*\\(alice\\) a ouvert un terminal`),
    );
    expect(notes.at(-1)).toMatch(new RegExp(`^${DESK_USER} .*Terminal à distance fermé`));
  });

  it('opens a shell as the signed-in user when asked to', async () => {
    answer(0);
    const r = await ssh(`alice+${agent.deviceId}+user`, 'id -un; echo "$HOME"');
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toBe(`${DESK_USER}\n/home/${DESK_USER}\n`);
    expect(log('zenity')).toContain('avec votre compte');
  });

  // Last in the file: the policy goes to every device, the first agent included.
  describe('with the consent set by a remote-shell policy (agent started without --terminal-consent)', () => {
    let plain: AgentProcess;
    let admin: ApiClient;

    /** Waits until this agent reported the policy's revision applied. */
    const applied = (policyId: string, revision: number) =>
      eventually(
        async () => {
          const c = await admin.get<{ rows: { deviceId: string; policyRevision: number; status: string }[] }>(
            `/api/v1/policies/${policyId}/compliance`,
          );
          const row = c.body.rows.find((r) => r.deviceId === plain.deviceId);
          return row?.policyRevision === revision && row.status === 'applied';
        },
        `revision ${revision} of the remote-shell policy applied by the agent`,
        60_000,
      );

    beforeAll(async () => {
      plain = await new AgentProcess(hub, tempDir('agent'), 1).enroll('Accueil');
      plain.proc = spawnNode([AGENT_BIN, 'run', '--state', plain.stateDir, '--heartbeat-seconds', '1'], {
        PATH: `${bin}:${process.env.PATH}`,
      });
      admin = await adminClient(hub);
      await eventually(
        async () => (await admin.get<{ online: boolean }>(`/api/v1/devices/${plain.deviceId}`)).body.online,
        'second agent online',
      );
    });

    afterAll(async () => {
      await plain?.stop();
    });

    it('asks for consent once the policy says always, and refuses every session once it switches the shell off', async () => {
      // No policy yet: the agent's default (never) opens the session without asking.
      answer(1);
      const askedBefore = log('zenity').length;
      const free = await ssh(`alice+${plain.deviceId}`, 'echo sans demander');
      expect(free.stderr).toBe('');
      expect(free.stdout.toString()).toBe('sans demander\n');
      expect(log('zenity').length).toBe(askedBefore);

      const created = await admin.post<{ id: string; document: unknown }>('/api/v1/policies', {
        name: 'Terminal à distance avec consentement',
        module: 'remote-shell',
        document: { consent: 'always' },
      });
      expect(created.status).toBe(201);
      expect(created.body.document).toEqual({ enabled: true, consent: 'always', consentTimeoutSeconds: 30 });
      const policyId = created.body.id;
      const assigned = await admin.request('PUT', `/api/v1/policies/${policyId}/assignments`, [{ kind: 'everyone' }]);
      expect(assigned.status).toBe(200);
      await applied(policyId, 1);

      // The same agent, not restarted: the next session asks, and the answer is no.
      const refused = await ssh(`alice+${plain.deviceId}`, 'echo ne doit pas tourner');
      expect(refused.code).toBe(255);
      expect(refused.stdout.toString()).toBe('');
      expect(refused.stderr).toMatch(/^bascule: .*(refus|consentement)/m);
      const asked = log('zenity').slice(askedBefore);
      expect(asked).toMatch(new RegExp(`^${DESK_USER} DISPLAY=:0 --question`, 'm'));
      expect(asked).toContain('Le service informatique (alice) demande à ouvrir un terminal');
      expect(asked).toContain('30 secondes');

      const changed = await admin.request('PUT', `/api/v1/policies/${policyId}`, { document: { enabled: false } });
      expect(changed.status).toBe(200);
      await applied(policyId, 2);

      // Switched off: refused before anyone is asked, even with a desktop user who would say yes.
      answer(0);
      const askedBeforeOff = log('zenity').length;
      const off = await ssh(`alice+${plain.deviceId}`, 'echo ne doit pas tourner');
      expect(off.code).toBe(255);
      expect(off.stdout.toString()).toBe('');
      expect(off.stderr).toMatch(/^bascule: .*(désactivé|disabled)/m);
      expect(log('zenity').length).toBe(askedBeforeOff);

      const sessions = await admin.get<{ endReason: string | null }[]>(
        `/api/v1/terminal-sessions?filter=${encodeURIComponent(JSON.stringify({ deviceId: plain.deviceId }))}`,
      );
      expect(sessions.body.map((s) => s.endReason)).toEqual(
        expect.arrayContaining(['refused:consent-refused', 'refused:disabled']),
      );
    });
  });
});
