import fs from 'node:fs';
import { encodeTerminalFrame, TERMINAL_FRAME, terminalTopic } from '@bascule/protocol';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAs, readIdentity } from './support/device-client.js';
import {
  AgentProcess,
  type ApiClient,
  adminClient,
  eventually,
  type HubProcess,
  startHub,
  tempDir,
} from './support/index.js';
import { sshKeygen, sshRun, startAgentWith } from './support/ssh-client.js';

/*
 * A hostile or broken device on the terminal topics, with the real hub, a real agent running a real
 * session, and a second enrolled device that misbehaves over a raw MQTT connection: garbage frames,
 * frames naming another device's session, a subscription to another device's terminal input. The
 * session in progress is not disturbed, the hub stays up, and the agent leaves no process behind.
 */

interface Session {
  id: string;
  deviceId: string;
  endedAt: string | null;
  endReason: string | null;
}

/** Live processes below `pid` other than Node itself (the agent may run as a child with V8 flags). */
function descendantsOf(pid: number): string[] {
  const parent = new Map<number, { ppid: number; comm: string }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const [, comm = '', rest = ''] =
        /^\d+ \((.*)\) (.*)$/.exec(fs.readFileSync(`/proc/${entry}/stat`, 'utf8').trim()) ?? [];
      const [state, ppid] = rest.split(' ');
      if (state !== 'Z') parent.set(Number(entry), { ppid: Number(ppid), comm });
    } catch {
      // The process ended while we looked.
    }
  }
  const below = (p: number): number[] =>
    [...parent.entries()].filter(([, v]) => v.ppid === p).flatMap(([child]) => [child, ...below(child)]);
  return below(pid)
    .map((p) => `${p}:${parent.get(p)?.comm}`)
    .filter((p) => !p.endsWith(':node'));
}

describe('remote shell against hostile input', () => {
  let hub: HubProcess;
  let agent: AgentProcess;
  let intruder: MqttClient;
  let api: ApiClient;
  let key: string;

  beforeAll(async () => {
    const dir = tempDir('hostile');
    key = sshKeygen(dir, 'alice');
    hub = await startHub();
    const added = await hub.addUser('alice', 'helpdesk', 'une phrase de passe pour les tests e2e', `${key}.pub`);
    expect(added.code, added.stderr).toBe(0);
    agent = await startAgentWith(hub);
    const other = await new AgentProcess(hub, tempDir('intruder'), 1).enroll('Ailleurs');
    intruder = await connectAs(readIdentity(other.stateDir));
    api = await adminClient(hub);
    await eventually(
      async () => (await api.get<{ online: boolean }>(`/api/v1/devices/${agent.deviceId}`)).body.online,
      'agent online',
    );
  });

  afterAll(async () => {
    if (process.env.DEBUG_HOSTILE) {
      console.log('AGENT', agent.proc?.stdout.slice(-40).join('\n'), agent.proc?.stderr.slice(-20).join('\n'));
      console.log(
        'HUB',
        hub.proc.stdout
          .filter((l) => /terminal|ssh|refused|error/i.test(l))
          .slice(-60)
          .join('\n'),
      );
    }
    await intruder?.endAsync(true);
    await agent?.stop();
    await hub?.stop();
  });

  it('keeps a session intact while another device sends garbage and forged frames', async () => {
    // Output only after the intruder has had its go; the session must come through untouched.
    const session = sshRun(hub.sshPort, key, `alice+${agent.deviceId}`, 'sleep 4; seq 1 20000 | sha256sum');
    const open = await eventually(async () => {
      const r = await api.get<Session[]>(
        `/api/v1/terminal-sessions?filter=${encodeURIComponent(JSON.stringify({ active: true }))}`,
      );
      return r.body.find((s) => s.deviceId === agent.deviceId);
    }, 'the session open in the hub');

    const mine = (sid: string) => terminalTopic(intruder.options.clientId as string, sid, 'out');
    const garbage = [
      Buffer.alloc(0),
      Buffer.from('not a frame at all'),
      Buffer.from([255, 0, 0, 0, 1, 9]),
      Buffer.alloc(200_000, 7),
    ];
    // Frames on its own prefix naming the other device's session (the sid is all it could guess).
    for (const payload of garbage) await intruder.publishAsync(mine(open.id), payload, { qos: 0 });
    for (let seq = 1; seq <= 50; seq++) {
      const data = Buffer.from(`forged ${seq}\n`);
      await intruder.publishAsync(mine(open.id), encodeTerminalFrame({ type: TERMINAL_FRAME.data, seq, data }), {
        qos: 1,
      });
      await intruder.publishAsync(
        mine(open.id),
        encodeTerminalFrame({ type: TERMINAL_FRAME.exit, seq: seq + 100, code: 0, signal: null }),
        { qos: 1 },
      );
    }
    // Its subscription to the other device's terminal input is refused, and it stays connected.
    await expect(intruder.subscribeAsync(terminalTopic(agent.deviceId, open.id, 'in'), { qos: 0 })).rejects.toThrow(
      /Subscribe error/,
    );
    expect(intruder.connected).toBe(true);

    const r = await session;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const expected = (await import('node:crypto')).createHash('sha256');
    expected.update(`${Array.from({ length: 20000 }, (_, i) => i + 1).join('\n')}\n`);
    expect(r.stdout.toString()).toBe(`${expected.digest('hex')}  -\n`);
    expect(r.stdout.toString()).not.toContain('forged');

    // Publishing on the other device's own topic is outside its prefix: the broker disconnects it.
    // (Not awaited: the broker closes the connection instead of acknowledging.)
    intruder.publish(terminalTopic(agent.deviceId, open.id, 'out'), Buffer.from('x'), { qos: 1 }, () => undefined);
    await eventually(() => !intruder.connected, 'the intruder disconnected');

    const health = await api.get<{ status: string }>('/api/v1/health');
    expect(health.status).toBe(200);
    const done = await api.get<Session>(`/api/v1/terminal-sessions/${open.id}`);
    expect(done.body.endReason).toBe('exit');
  });

  it('leaves no process behind on the desktop after sessions end in every way', async () => {
    const agentPid = agent.proc?.child.pid as number;
    // Ends by itself, killed by a client that goes away mid-command, and a pty session closed by the client.
    await sshRun(hub.sshPort, key, `alice+${agent.deviceId}`, 'true');
    const hanging = sshRun(hub.sshPort, key, `alice+${agent.deviceId}`, 'sleep 300 & sleep 300');
    await eventually(() => descendantsOf(agentPid).length > 0, 'the command running');
    const ssh = await eventually(() => {
      for (const entry of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
        try {
          if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('sleep 300 & sleep 300')) {
            if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'ssh') return Number(entry);
          }
        } catch {
          // gone
        }
      }
      return undefined;
    }, 'the ssh client');
    process.kill(ssh, 'SIGKILL');
    await hanging;
    await sshRun(hub.sshPort, key, `alice+${agent.deviceId}`, 'exit 0', { extra: ['-tt'] });
    await eventually(() => descendantsOf(agentPid).length === 0, 'every process reaped', 15_000);
  });
});
