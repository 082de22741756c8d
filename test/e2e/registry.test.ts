import https from 'node:https';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentProcess as Agent } from './support/agent.js';
import {
  type AgentProcess,
  type ApiClient,
  adminClient,
  eventually,
  type HubProcess,
  startAgent,
  startHub,
} from './support/index.js';
import { tempDir } from './support/processes.js';

interface Machine {
  id: string;
  hostname: string;
  deviceId: string | null;
  status: string;
  department: string;
}

/** This machine's first real network card, as the agent reports it in its enrolment identity. */
function firstMac(): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const i of list ?? []) if (!i.internal && i.mac !== '00:00:00:00:00:00') return i.mac;
  }
  throw new Error('no network card with a MAC address on this machine');
}

/**
 * The fleet registry with real processes: a Windows-1252 CSV imported over REST (preview, then
 * confirm), a real agent enrolling on this machine and matched by its MAC, `migrated` once it is
 * healthy, the department percentages, and a second enrolment of the same hardware sent to review.
 */
describe('fleet registry: import, matching with a real agent, dashboard', () => {
  let hub: HubProcess;
  let api: ApiClient;
  let agent: AgentProcess;

  const postCsv = (path: string, body: Buffer) =>
    new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const req = https.request(
        new URL(path, hub.url),
        { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'text/csv', cookie: api.cookie } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString('utf8');
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const machines = async () => (await api.get<Machine[]>('/api/v1/registry/machines?sort=["hostname","ASC"]')).body;

  beforeAll(async () => {
    hub = await startHub();
    api = await adminClient(hub);
  }, 60_000);

  afterAll(async () => {
    await agent?.stop();
    await hub?.stop();
  });

  it('imports, matches the real agent by MAC, migrates it once healthy and counts it by department', async () => {
    const mac = firstMac().toUpperCase().replace(/:/g, '-'); // as an Excel sheet may write it
    const file = Buffer.from(
      [
        'Nom;Numéro de série;Adresse MAC;Service',
        `poste-de-test;;${mac};Mairie > Informatique`,
        `${os.hostname()};;;Mairie > Écoles`, // the same hostname: MAC comes first
        'pc-ecole-2;SN-E2;;Mairie > Écoles',
        'pc-ecole-2;SN-E2;;Mairie > Écoles',
        '',
      ].join('\r\n'),
      'latin1',
    );
    const preview = await postCsv('/api/v1/registry/imports?filename=parc.csv', file);
    expect(preview.status).toBe(201);
    expect(preview.body).toMatchObject({ encoding: 'windows-1252', totalLines: 4, errorLines: 1 });
    expect(preview.body.errors).toMatchObject([{ line: 5, code: 'duplicate-serial' }]);
    expect(await machines()).toEqual([]);
    const id = preview.body.id as string;
    expect((await api.post(`/api/v1/registry/imports/${id}/confirm`, {})).status).toBe(409);
    expect((await api.post(`/api/v1/registry/imports/${id}/confirm`, { skipInvalid: true })).status).toBe(202);
    await eventually(
      async () => (await api.get<{ state: string }>(`/api/v1/registry/imports/${id}`)).body.state === 'done',
      'the import done',
    );
    expect((await machines()).map((m) => [m.hostname, m.department, m.status])).toEqual(
      [
        [os.hostname(), 'Écoles', 'windows'],
        ['pc-ecole-2', 'Écoles', 'windows'],
        ['poste-de-test', 'Informatique', 'windows'],
      ].sort((a, b) => (a[0] as string).toLowerCase().localeCompare((b[0] as string).toLowerCase())),
    );

    agent = await startAgent(hub, { department: 'Informatique' });
    const migrated = await eventually(
      async () => (await machines()).find((m) => m.hostname === 'poste-de-test' && m.status === 'migrated'),
      'the matched machine migrated',
      60_000,
    );
    expect(migrated.deviceId).toBe(agent.deviceId);
    expect((await machines()).find((m) => m.hostname === os.hostname())?.deviceId).toBeNull();

    const dash = await api.get<{
      organisation: { total: number; migratedPct: number };
      departments: { name: string; total: number; migratedPct: number }[];
    }>('/api/v1/registry/dashboard');
    expect(dash.body.organisation).toMatchObject({ total: 3, migratedPct: 33.3 });
    const by = Object.fromEntries(dash.body.departments.map((d) => [d.name, d]));
    expect(by.Informatique).toMatchObject({ total: 1, migratedPct: 100 });
    expect(by.Mairie).toMatchObject({ total: 3, migratedPct: 33.3 });
    expect(by.Écoles).toMatchObject({ total: 2, migratedPct: 0 });

    // The same hardware enrolled again (a reinstall): its MAC's machine is linked already, so a person decides.
    const again = await new Agent(hub, tempDir('agent-again')).enroll('Informatique');
    const item = await eventually(async () => {
      const r = await api.get<{ deviceId: string; level: string; candidates: Machine[] }[]>(
        '/api/v1/registry/reviews?filter={"state":"open"}',
      );
      return r.body.find((i) => i.deviceId === again.deviceId);
    }, 'the review item');
    expect(item.level).toBe('mac');
    expect(item.candidates.map((c) => c.hostname)).toEqual(['poste-de-test']);
    expect((await machines()).find((m) => m.hostname === 'poste-de-test')?.deviceId).toBe(agent.deviceId);
  });
});
