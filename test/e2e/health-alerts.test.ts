import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AgentProcess,
  type ApiClient,
  adminClient,
  eventually,
  type HubProcess,
  startAgent,
  startHub,
  tempDir,
} from './support/index.js';

interface Alert {
  id: string;
  deviceId: string;
  type: string;
  subject: string;
  state: string;
  acknowledgedBy: string | null;
  detail: { usedPercent?: number };
}
interface Series {
  resolution: string;
  points: { ts: string; diskUsedPctMax: number | null; memUsedPct: number }[];
}

/**
 * A real hub and a real agent; the agent sees a real, nearly full file system: an 8 MiB ext4 image
 * loop-mounted for the test (root only), filled past 90 % and emptied again.
 */
const canMount = process.getuid?.() === 0 && fs.existsSync('/usr/sbin/mkfs.ext4');

describe.skipIf(!canMount)('health and alerts: agent → hub → REST', () => {
  let hub: HubProcess;
  let api: ApiClient;
  let agent: AgentProcess;
  const dir = tempDir('health-fs');
  const image = path.join(dir, 'disk.img');
  const mnt = path.join(dir, 'mnt');
  const filler = path.join(mnt, 'filler.bin');
  const q = (o: unknown) => encodeURIComponent(JSON.stringify(o));
  const alerts = async (filter: Record<string, unknown>) =>
    (await api.get<Alert[]>(`/api/v1/alerts?filter=${q(filter)}&sort=${q(['openedAt', 'ASC'])}`)).body;

  beforeAll(async () => {
    fs.mkdirSync(mnt);
    execFileSync('truncate', ['-s', '8M', image]);
    execFileSync('mkfs.ext4', ['-q', '-F', image]);
    execFileSync('mount', ['-o', 'loop', image, mnt]);
    hub = await startHub();
    // The one-time password banner may come just after the "hub ready" line that startHub waits for.
    hub.adminPassword = await eventually(
      async () => hub.proc.stderr.join('\n').match(/one-time password: (\S+)/)?.[1],
      'the one-time password',
    );
    api = await adminClient(hub);
    agent = await startAgent(hub, { department: 'Finances' });
  });

  afterAll(async () => {
    await agent?.stop();
    await hub?.stop();
    try {
      execFileSync('umount', [mnt]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('samples arrive and GET /health?range=24h returns them, with the test file system', async () => {
    const series = await eventually(async () => {
      const r = await api.get<Series>(`/api/v1/devices/${agent.deviceId}/health?range=24h`);
      return r.status === 200 && r.body.points.length >= 6 ? r.body : null;
    }, 'health points');
    expect(series.resolution).toBe('raw');
    expect(series.points[0]?.memUsedPct).toBeGreaterThan(0);
    const device = await api.get<{ lastHeartbeat: { disks: { mount: string }[] } }>(
      `/api/v1/devices/${agent.deviceId}`,
    );
    expect(device.body.lastHeartbeat.disks.map((d) => d.mount)).toContain(mnt);
    expect((await api.get(`/api/v1/devices/${agent.deviceId}/health?range=2w`)).status).toBe(400);
  });

  it('a file system filled past 90 % opens an alert; acknowledged, then resolved when emptied', async () => {
    const st = fs.statfsSync(mnt);
    const size = st.blocks * st.bsize;
    // Leave 4 % of the size free: 96 % used as df counts it.
    fs.writeFileSync(filler, Buffer.alloc(Math.floor(st.bfree * st.bsize - 0.04 * size)));
    execFileSync('sync');
    const [alert] = await eventually(async () => {
      const list = await alerts({ deviceId: agent.deviceId, type: 'disk-full', state: 'open' });
      return list.find((a) => a.subject === mnt) ? list : null;
    }, 'a disk-full alert');
    expect(alert?.detail.usedPercent).toBeGreaterThan(90);

    const overview = await api.get<{ alertsByType: { type: string; open: number }[]; devices: { online: number } }>(
      '/api/v1/fleet/overview',
    );
    expect(overview.body.alertsByType).toContainEqual(expect.objectContaining({ type: 'disk-full', open: 1 }));
    expect(overview.body.devices.online).toBe(1);

    const ack = await api.post<Alert>(`/api/v1/alerts/${alert?.id}/acknowledge`);
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'admin' });
    expect((await api.post(`/api/v1/alerts/${alert?.id}/acknowledge`)).status).toBe(409);

    fs.rmSync(filler);
    execFileSync('sync');
    await eventually(async () => {
      const r = await api.get<Alert>(`/api/v1/alerts/${alert?.id}`);
      return r.body.state === 'resolved';
    }, 'the alert resolved');
    expect(await alerts({ deviceId: agent.deviceId, state: ['open', 'acknowledged'], type: 'disk-full' })).toEqual([]);
  });
});
