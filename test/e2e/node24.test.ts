import { execFileSync } from 'node:child_process';
import { INVENTORY_SECTIONS } from '@bascule/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENT_BIN,
  type AgentProcess,
  type ApiClient,
  adminClient,
  eventually,
  type HubProcess,
  startAgent,
  startHub,
} from './support/index.js';
import { ensureNode24 } from './support/node24.js';

// Desktops run the agent on the Node 24 runtime bundled in its package; the development machines have
// Node 20. This runs the real agent on Node 24 against a hub on the machine's Node.
describe('the agent on Node 24', () => {
  let node24: string;
  let hub: HubProcess;
  let api: ApiClient;
  let agent: AgentProcess;

  beforeAll(async () => {
    node24 = ensureNode24();
    hub = await startHub();
    api = await adminClient(hub);
    agent = await startAgent(hub, { department: 'Node 24', nodeBin: node24 });
  });
  afterAll(async () => {
    await agent?.stop();
    await hub?.stop();
  });

  it('is really Node 24', () => {
    expect(execFileSync(node24, ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./);
  });

  it('enrols, connects, sends its inventory and heartbeats', async () => {
    const device = await eventually(async () => {
      const r = await api.get<{ online: boolean; os: string | null; lastHeartbeat: unknown }>(
        `/api/v1/devices/${agent.deviceId}`,
      );
      return r.body.online && r.body.os && r.body.lastHeartbeat ? r.body : null;
    }, 'a Node 24 agent online with inventory and heartbeat');
    expect(device.os).toMatch(/Debian/);
    const inventory = execFileSync(node24, [AGENT_BIN, 'inventory', '--json'], { encoding: 'utf8' });
    expect(Object.keys(JSON.parse(inventory)).sort()).toEqual([...INVENTORY_SECTIONS].sort());
  });
});
