import type { TerminalFrame, TerminalOpenParams } from '@bascule/protocol';
import { decodeTerminalFrame, encodeTerminalFrame, TERMINAL_FRAME } from '@bascule/protocol/runtime';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../logging/logger.js';
import { RpcError } from '../rpc/rpc-error.js';
import { systemClock } from '../system/clock.js';
import { MemoryStateFile } from '../system/state-file.js';
import { ALICE_DESKTOP, FakeTerminalHost } from './fake-terminal-host.js';
import { formatRemoteShellPolicy } from './remote-shell-policy.js';
import { TerminalManager, type TerminalManagerDeps, type TerminalSettings } from './terminal-manager.js';

const SID = '01JD0000000000000000000001';
const sid = (n: number) => `01JD00000000000000000000${String(n).padStart(2, '0')}`;

function params(overrides: Partial<TerminalOpenParams> = {}): TerminalOpenParams {
  return {
    sid: SID,
    mode: 'shell',
    pty: true,
    as: 'root',
    term: 'xterm-256color',
    size: { cols: 80, rows: 24 },
    requester: { username: 'alice', via: 'ssh' },
    idleTimeoutSeconds: 600,
    maxDurationSeconds: 3600,
    ...overrides,
  };
}

function setup(settings: Partial<TerminalSettings> = {}, host = new FakeTerminalHost(), policy?: MemoryStateFile) {
  const published: Array<{ sid: string; frame: TerminalFrame }> = [];
  const logger = createMemoryLogger();
  const deps: TerminalManagerDeps = {
    settings: {
      terminalEnabled: true,
      terminalConsent: 'never',
      terminalConsentTimeoutSeconds: 30,
      terminalMaxSessions: 4,
      ...settings,
    },
    ...(policy ? { policy } : {}),
    clock: systemClock,
    logger,
    host,
    publish: (s, frame) => published.push({ sid: s, frame: decodeTerminalFrame(frame) }),
  };
  const manager = new TerminalManager(deps);
  manager.start();
  return { manager, host, published, logger };
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof RpcError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('TerminalManager.open', () => {
  it('spawns a root login shell with a clean environment and routes its input', async () => {
    const { manager, host } = setup();
    process.env.BASCULE_TEST_SECRET = 'leak';
    await manager.open(params());
    delete process.env.BASCULE_TEST_SECRET;
    expect(host.specs[0]).toMatchObject({
      pty: true,
      file: '/bin/bash',
      args: ['-l'],
      cwd: '/root',
      cols: 80,
      rows: 24,
    });
    expect(host.specs[0]?.env).toMatchObject({
      TERM: 'xterm-256color',
      LANG: 'fr_FR.UTF-8',
      HOME: '/root',
      USER: 'root',
    });
    expect(host.specs[0]?.env.PATH).toContain('/usr/sbin');
    expect(JSON.stringify(host.specs[0]?.env)).not.toContain('leak');
    manager.handleInput(SID, encodeTerminalFrame({ type: TERMINAL_FRAME.data, seq: 1, data: Buffer.from('ls\n') }));
    expect(Buffer.concat(host.processes[0]?.written ?? []).toString()).toBe('ls\n');
  });

  it('runs `as: user` as the desktop user through runuser, and notifies them in French', async () => {
    const { manager, host } = setup({}, new FakeTerminalHost({ desktop: ALICE_DESKTOP }));
    await manager.open(params({ as: 'user', mode: 'exec', pty: false, command: 'id' }));
    expect(host.specs[0]).toMatchObject({
      pty: false,
      file: '/usr/sbin/runuser',
      args: ['-u', 'marie', '--', '/bin/zsh', '-c', 'id'],
      cwd: '/home/marie',
    });
    expect(host.specs[0]?.env).toMatchObject({ HOME: '/home/marie', XDG_RUNTIME_DIR: '/run/user/1000' });
    expect(host.specs[0]?.env.TERM).toBeUndefined();
    await vi.advanceTimersByTimeAsync(0);
    expect(host.notifications).toEqual([
      {
        user: 'marie',
        summary: 'Terminal à distance ouvert',
        body: 'Le service informatique (alice) a ouvert un terminal sur ce poste.',
      },
    ]);
    host.processes[0]?.exit(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(host.notifications[1]?.body).toBe('Le service informatique (alice) a fermé le terminal sur ce poste.');
  });

  it('refuses `as: user` with no-desktop-user when nobody is signed in', async () => {
    const { manager, host } = setup();
    expect(await refusal(manager.open(params({ as: 'user' })))).toMatchObject({ code: 'no-desktop-user' });
    expect(host.specs).toEqual([]);
    expect(manager.count).toBe(0);
  });

  it('refuses with disabled when terminalEnabled is false', async () => {
    const { manager } = setup({ terminalEnabled: false });
    expect(await refusal(manager.open(params()))).toMatchObject({ code: 'disabled' });
  });

  it('refuses with busy past terminalMaxSessions, and accepts again once one closed', async () => {
    const { manager, host } = setup({ terminalMaxSessions: 2 });
    await manager.open(params({ sid: sid(1) }));
    await manager.open(params({ sid: sid(2) }));
    expect(await refusal(manager.open(params({ sid: sid(3) })))).toMatchObject({ code: 'busy' });
    host.processes[0]?.exit(0);
    await manager.open(params({ sid: sid(4) }));
    expect(manager.count).toBe(2);
  });

  it('refuses a sid already in use', async () => {
    const { manager } = setup();
    await manager.open(params());
    expect(await refusal(manager.open(params()))).toMatchObject({ code: 'invalid-params' });
  });

  it('answers spawn-failed when the process cannot start', async () => {
    const host = new FakeTerminalHost({ spawnError: new Error('no such file') });
    const { manager } = setup({}, host);
    expect(await refusal(manager.open(params()))).toMatchObject({ code: 'spawn-failed' });
    expect(manager.count).toBe(0);
  });
});

describe('TerminalManager consent', () => {
  it('asks the desktop user and opens when they accept', async () => {
    const host = new FakeTerminalHost({ desktop: ALICE_DESKTOP, consent: 'accepted' });
    const { manager } = setup({ terminalConsent: 'always', terminalConsentTimeoutSeconds: 45 }, host);
    await manager.open(params());
    expect(host.questions).toEqual([
      {
        user: 'marie',
        timeout: 45,
        text: expect.stringMatching(/Le service informatique \(alice\) demande.*par SSH.*administrateur.*45 secondes/s),
      },
    ]);
    expect(host.specs).toHaveLength(1);
  });

  it.each(['refused', 'timeout', 'unavailable'] as const)(
    'refuses with consent-refused when the answer is %s',
    async (answer) => {
      const host = new FakeTerminalHost({ desktop: ALICE_DESKTOP, consent: answer });
      const { manager } = setup({ terminalConsent: 'when-signed-in' }, host);
      expect(await refusal(manager.open(params()))).toMatchObject({ code: 'consent-refused' });
      expect(host.specs).toEqual([]);
      expect(manager.count).toBe(0);
    },
  );

  it("'always' with nobody signed in: consent-refused, saying nobody was there to accept", async () => {
    const { manager, host } = setup({ terminalConsent: 'always' });
    const refused = await refusal(manager.open(params()));
    expect(refused).toMatchObject({ code: 'consent-refused' });
    expect(refused.message).toMatch(/nobody is signed in/);
    expect(host.specs).toEqual([]);
  });

  it("'when-signed-in' with nobody signed in: opens without asking", async () => {
    const { manager, host } = setup({ terminalConsent: 'when-signed-in' });
    await manager.open(params());
    expect(host.questions).toEqual([]);
    expect(host.specs).toHaveLength(1);
  });

  it('escapes markup in the requester name shown in the dialog', async () => {
    const host = new FakeTerminalHost({ desktop: ALICE_DESKTOP });
    const { manager } = setup({ terminalConsent: 'always' }, host);
    await manager.open(params({ requester: { username: '<b>eve&co</b>', via: 'web' } }));
    expect(host.questions[0]?.text).toContain('(&lt;b&gt;eve&amp;co&lt;/b&gt;)');
    expect(host.questions[0]?.text).toContain('depuis son navigateur');
  });
});

describe("TerminalManager and the hub's remote-shell policy", () => {
  const policyFile = (p: Parameters<typeof formatRemoteShellPolicy>[0]) =>
    new MemoryStateFile(formatRemoteShellPolicy(p), '/var/lib/bascule-agent/config/remote-shell.json');

  it('overrides the agent settings: consent asked although agent.conf says never, with its timeout', async () => {
    const host = new FakeTerminalHost({ desktop: ALICE_DESKTOP, consent: 'refused' });
    const policy = policyFile({ enabled: true, consent: 'always', consentTimeoutSeconds: 15 });
    const { manager } = setup({ terminalConsent: 'never' }, host, policy);
    expect(await refusal(manager.open(params()))).toMatchObject({ code: 'consent-refused' });
    expect(host.questions).toMatchObject([{ user: 'marie', timeout: 15 }]);
    expect(host.specs).toEqual([]);
  });

  it('is read again at each request: a change applies to the next session, without a restart', async () => {
    const host = new FakeTerminalHost({ desktop: ALICE_DESKTOP, consent: 'accepted' });
    const policy = policyFile({ enabled: true, consent: 'never', consentTimeoutSeconds: 30 });
    const { manager, logger } = setup({ terminalConsent: 'always' }, host, policy);
    await manager.open(params({ sid: sid(1) }));
    expect(host.questions).toEqual([]);

    policy.write(formatRemoteShellPolicy({ enabled: false, consent: 'never', consentTimeoutSeconds: 30 }));
    const refused = await refusal(manager.open(params({ sid: sid(2) })));
    expect(refused).toEqual({
      code: 'disabled',
      message: "remote terminals are switched off on this desktop (the hub's remote-shell policy)",
    });

    // The policy is gone (released by apply): agent.conf's `always` applies again.
    policy.remove();
    await manager.open(params({ sid: sid(3) }));
    expect(host.questions).toHaveLength(1);
    expect(logger.events.map((e) => e.msg)).toEqual(
      expect.arrayContaining([
        "terminal: the hub's remote-shell policy applies",
        "terminal: no remote-shell policy from the hub; the agent's own settings apply",
      ]),
    );
  });

  it.each([
    ['not JSON', '{"enabled": tru', /JSON/],
    [
      'a bad field',
      '{"enabled": true, "consent": "sometimes", "consentTimeoutSeconds": 5}',
      /consent: .*consentTimeoutSeconds: /,
    ],
  ])('falls back to the agent settings when the file holds %s, logged once', async (_what, text, error) => {
    const host = new FakeTerminalHost({ desktop: ALICE_DESKTOP, consent: 'refused' });
    const policy = new MemoryStateFile(text, '/var/lib/bascule-agent/config/remote-shell.json');
    const { manager, logger } = setup({ terminalConsent: 'always', terminalConsentTimeoutSeconds: 20 }, host, policy);
    expect(await refusal(manager.open(params({ sid: sid(1) })))).toMatchObject({ code: 'consent-refused' });
    expect(await refusal(manager.open(params({ sid: sid(2) })))).toMatchObject({ code: 'consent-refused' });
    expect(host.questions.map((q) => q.timeout)).toEqual([20, 20]);
    const warnings = logger.events.filter((e) => e.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      msg: "terminal: the remote-shell policy file is unusable; the agent's own settings apply",
      file: '/var/lib/bascule-agent/config/remote-shell.json',
      error: expect.stringMatching(error),
    });
  });

  it('uses the agent settings when there is no policy file', async () => {
    const host = new FakeTerminalHost({ desktop: ALICE_DESKTOP, consent: 'accepted' });
    const { manager } = setup({ terminalConsent: 'never' }, host, new MemoryStateFile(null));
    await manager.open(params());
    expect(host.questions).toEqual([]);
    expect(host.specs).toHaveLength(1);
  });
});

describe('TerminalManager input and stop', () => {
  it('answers a frame for an unknown session once with close {unknown-session}', () => {
    const { manager, published } = setup();
    const frame = encodeTerminalFrame({ type: TERMINAL_FRAME.data, seq: 1, data: Buffer.from('x') });
    manager.handleInput(SID, frame);
    manager.handleInput(SID, frame);
    manager.handleInput(SID, Buffer.from('garbage'));
    expect(published).toEqual([
      {
        sid: SID,
        frame: { type: TERMINAL_FRAME.close, seq: 1, close: { code: 'unknown-session', message: expect.any(String) } },
      },
    ]);
  });

  it('does not answer frames of a session it closed', async () => {
    const { manager, host, published } = setup();
    await manager.open(params());
    host.processes[0]?.exit(0);
    const count = published.length;
    manager.handleInput(SID, encodeTerminalFrame({ type: TERMINAL_FRAME.ack, seq: 1, consumed: 0 }));
    expect(published).toHaveLength(count);
  });

  it('never throws on garbage for a live session', async () => {
    const { manager } = setup();
    await manager.open(params());
    expect(() => manager.handleInput(SID, Buffer.alloc(0))).not.toThrow();
    expect(manager.count).toBe(0);
  });

  it('stop() closes every session with agent-stopping, kills them and leaves no timer', async () => {
    const { manager, host, published, logger } = setup();
    await manager.open(params({ sid: sid(1) }));
    await manager.open(params({ sid: sid(2), mode: 'exec', pty: false, command: 'sleep 100' }));
    const stubborn = host.processes[1];
    if (stubborn) stubborn.diesOnHangup = false;
    const stopped = manager.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    await stopped;
    expect(published.filter((p) => p.frame.type === TERMINAL_FRAME.close).map((p) => [p.sid, p.frame])).toEqual([
      [sid(1), expect.objectContaining({ close: expect.objectContaining({ code: 'agent-stopping' }) })],
      [sid(2), expect.objectContaining({ close: expect.objectContaining({ code: 'agent-stopping' }) })],
    ]);
    expect(host.processes.every((p) => p.hasExited && p.disposed)).toBe(true);
    expect(host.processes[1]?.signals).toEqual(['SIGHUP', 'SIGKILL']);
    expect(manager.count).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    const closed = logger.events.filter((e) => e.msg === 'terminal: session closed');
    expect(closed.map((e) => [e.sid, e.reason, e.requester])).toEqual([
      [sid(1), 'agent-stopping', 'alice'],
      [sid(2), 'agent-stopping', 'alice'],
    ]);
    expect(await refusal(manager.open(params({ sid: sid(3) })))).toMatchObject({ code: 'internal' });
  });
});
