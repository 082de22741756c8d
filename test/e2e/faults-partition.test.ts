import { execFileSync } from 'node:child_process';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentProcess, adminClient, eventually, HubProcess, tempDir } from './support/index.js';

/*
 * Faults (issue 9): a network partition between the hub and part of the fleet. Three agents, each in
 * its own network namespace with a veth pair to the host, where the hub listens on the address of the
 * first pair. The links of two of them are cut (their end set down) for longer than the MQTT keepalive
 * (60 s, so the hub notices after 90 s): the hub marks those two offline and keeps the third online;
 * once the links are back, the two reconnect by themselves within the agent's backoff cap (5 min) and
 * the health samples they took while cut off arrive. Only namespaces made here are touched, and
 * deleted (with their veth pairs) in teardown, also on failure.
 */

const AGENTS = 3;
const CUT = [1, 2];
const tag = `bf${process.pid % 10_000}`;
const HUB_ADDRESS = '10.251.0.1';

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

/** A hub reached through the host end of the first veth pair. */
class PartitionHub extends HubProcess {
  override get url(): string {
    return `https://${HUB_ADDRESS}:${this.httpPort}`;
  }
}

describe('faults: network partition', () => {
  const namespaces: string[] = [];
  const agents: AgentProcess[] = [];
  let hub: PartitionHub | undefined;

  afterAll(async () => {
    for (const a of agents) await a.stop();
    await hub?.stop();
    for (const ns of namespaces) {
      try {
        ip('netns', 'del', ns);
      } catch (err) {
        console.error(`could not delete netns ${ns}: ${(err as Error).message}`);
      }
    }
  });

  it('marks cut-off devices offline; they come back by themselves and their buffered samples arrive', async () => {
    for (let n = 0; n < AGENTS; n++) {
      const ns = `${tag}-${n}`;
      ip('netns', 'add', ns);
      namespaces.push(ns);
      ip('link', 'add', `${tag}h${n}`, 'type', 'veth', 'peer', 'name', `${tag}d${n}`);
      ip('link', 'set', `${tag}d${n}`, 'netns', ns);
      ip('addr', 'add', `10.251.${n}.1/24`, 'dev', `${tag}h${n}`);
      ip('link', 'set', `${tag}h${n}`, 'up');
      ip('-n', ns, 'addr', 'add', `10.251.${n}.2/24`, 'dev', `${tag}d${n}`);
      ip('-n', ns, 'link', 'set', `${tag}d${n}`, 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'route', 'add', 'default', 'via', `10.251.${n}.1`);
    }
    hub = new PartitionHub(tempDir('partition-hub'), ['--host', HUB_ADDRESS, '--public-host', HUB_ADDRESS]);
    await hub.start();
    for (let n = 0; n < AGENTS; n++) {
      const agent = new AgentProcess(hub, tempDir(`partition-${n}`), 1);
      agent.launcher = ['ip', 'netns', 'exec', `${tag}-${n}`];
      await agent.enroll('Informatique');
      agents.push(agent.start());
    }
    const api = await adminClient(hub);
    const online = async (a: AgentProcess) =>
      (await api.get<{ online: boolean }>(`/api/v1/devices/${a.deviceId}`)).body.online;
    for (const a of agents) await eventually(() => online(a), `${a.deviceId} online`);

    const cutAt = new Date().toISOString();
    for (const n of CUT) ip('-n', `${tag}-${n}`, 'link', 'set', `${tag}d${n}`, 'down');
    const cutMs = Date.now();
    for (const n of CUT) {
      await eventually(async () => !(await online(agents[n] as AgentProcess)), `agent ${n} offline`, 150_000);
    }
    const offlineAfterMs = Date.now() - cutMs;
    expect(await online(agents[0] as AgentProcess)).toBe(true);

    for (const n of CUT) ip('-n', `${tag}-${n}`, 'link', 'set', `${tag}d${n}`, 'up');
    for (const n of CUT) ip('-n', `${tag}-${n}`, 'route', 'replace', 'default', 'via', `10.251.${n}.1`);
    const restoredAt = new Date().toISOString();
    const restoreMs = Date.now();
    for (const n of CUT) {
      await eventually(() => online(agents[n] as AgentProcess), `agent ${n} back online`, 330_000);
    }
    const backAfterMs = Date.now() - restoreMs;
    // What they sampled while cut off is in their outbox, sent after the reconnect.
    await new Promise((r) => setTimeout(r, 10_000));
    for (const a of agents) await a.stop();
    await hub.stop();

    const sqlite = new SqliteDatabase(path.join(hub.dataDir, 'bascule.db'), { readonly: true });
    try {
      const during = CUT.map(
        (n) =>
          (
            sqlite
              .prepare('SELECT count(*) AS c FROM health_samples WHERE device_id = ? AND ts > ? AND ts < ?')
              .get((agents[n] as AgentProcess).deviceId, cutAt, restoredAt) as { c: number }
          ).c,
      );
      console.log(
        `partition: offline at the hub ${offlineAfterMs} ms after the cut, back ${backAfterMs} ms after the ` +
          `restore, samples taken while cut off and delivered: ${during.join(', ')}`,
      );
      for (const c of during) expect(c).toBeGreaterThan(30);
    } finally {
      sqlite.close();
    }
    agents.length = 0;
    hub = undefined;
  }, 600_000);
});
