import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFixture, printers } from '../config-publisher/config-test-support.js';
import type { ApiError } from '../http/http-errors.js';

type Fixture = Awaited<ReturnType<typeof configFixture>>;

async function rejection(p: Promise<unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const err = (await p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  )) as ApiError;
  return { status: err.getStatus(), body: err.getResponse() as Record<string, unknown> };
}

describe('PolicyService', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await configFixture();
  });
  afterEach(() => f.close());

  it('refuses an invalid document with one error per field, paths inside the document', async () => {
    const bad = {
      printers: [
        { name: 'Accueil Kyocera', uri: 'ipp://x/ipp', driver: { kind: 'everywhere' } },
        { name: 'Compta', uri: 'smb://srv/compta', driver: { kind: 'ppd' } },
      ],
      default: 'Nope',
    };
    const { status, body } = await rejection(
      f.cfg.policies.create({ name: 'Printers', module: 'printers', document: bad }, 'alice'),
    );
    expect(status).toBe(400);
    const errors = body.errors as Record<string, string>;
    expect(errors['document.printers.0.name']).toMatch(/no spaces/);
    expect(errors['document.printers.1.uri']).toMatch(/ipp:\/\//);
    expect(errors['document.printers.1.driver.model']).toBeDefined();
    expect(body.issues).toEqual(
      expect.arrayContaining([{ path: ['document', 'printers', 1, 'uri'], message: expect.any(String) }]),
    );
    expect(await f.cfg.policies.list({ sort: 'name', order: 'asc', offset: 0, limit: 10 })).toMatchObject({ total: 0 });

    const unknown = await rejection(
      f.cfg.policies.create({ name: 'Paquets', module: 'packages', document: {} }, 'alice'),
    );
    expect((unknown.body.errors as Record<string, string>).module).toMatch(/unknown module/);
    const adJoin = await rejection(
      f.cfg.policies.create({ name: 'AD', module: 'ad-join', document: { domain: 'not a domain' } }, 'alice'),
    );
    expect((adJoin.body.errors as Record<string, string>)['document.domain']).toMatch(/DNS domain/);
  });

  it('keeps every revision, diffs two of them, and audits each change', async () => {
    const p = await f.cfg.policies.create({ name: 'Printers', module: 'printers', document: printers('A') }, 'alice');
    expect(p).toMatchObject({ latestRevision: 1, deployedRevision: 1 });
    await f.cfg.policies.update(p.id, { document: { ...printers('A'), default: 'A' }, comment: 'default' }, 'bob');
    // Same document again: no new revision.
    const same = await f.cfg.policies.update(p.id, { document: { ...printers('A'), default: 'A' } }, 'bob');
    expect(same.latestRevision).toBe(2);
    const revisions = await f.cfg.policies.revisions(p.id);
    expect(revisions.map((r) => [r.revision, r.createdBy, r.deployed])).toEqual([
      [2, 'bob', true],
      [1, 'alice', false],
    ]);
    expect((await f.cfg.policies.diff(p.id, 1, 2)).changes).toEqual([{ op: 'add', path: '/default', value: 'A' }]);
    const actions = (await f.s.database.db.selectFrom('audit_log').select('action').execute()).map((a) => a.action);
    expect(actions).toEqual(['policy.create', 'policy.update', 'policy.update']);
  });

  it('gives each device the most specific policy: device > group > department > everyone, then priority, then id', async () => {
    const finance = await f.device('Finances');
    const canary = await f.device('Finances');
    const pinned = await f.device('Finances');
    const other = await f.device('Urbanisme');
    const everyone = await f.cfg.policies.create({ name: 'All', module: 'printers', document: printers('All') }, 'a');
    await f.cfg.policies.setAssignments(everyone.id, [{ kind: 'everyone' }], 'a');
    const dept = await f.cfg.policies.create({ name: 'Fin', module: 'printers', document: printers('Fin') }, 'a');
    await f.cfg.policies.setAssignments(dept.id, [{ kind: 'department', target: 'Finances' }], 'a');
    const g = await f.cfg.groups.create({ name: 'IT canary' }, 'a');
    await f.cfg.groups.addMembers(g.id, [canary, pinned], 'a');
    const grp = await f.cfg.policies.create({ name: 'Grp', module: 'printers', document: printers('Grp') }, 'a');
    await f.cfg.policies.setAssignments(grp.id, [{ kind: 'group', target: 'IT canary' }], 'a');
    const dev = await f.cfg.policies.create({ name: 'Dev', module: 'printers', document: printers('Dev') }, 'a');
    await f.cfg.policies.setAssignments(dev.id, [{ kind: 'device', target: pinned }], 'a');

    const queue = (id: string) =>
      (f.lastConfig(id)?.modules.printers?.settings as { printers: { name: string }[] } | undefined)?.printers[0]?.name;
    expect([queue(other), queue(finance), queue(canary), queue(pinned)]).toEqual(['All', 'Fin', 'Grp', 'Dev']);

    // Same level: the higher priority wins, then the older policy.
    const dept2 = await f.cfg.policies.create({ name: 'Fin2', module: 'printers', document: printers('Fin2') }, 'a');
    await f.cfg.policies.setAssignments(dept2.id, [{ kind: 'department', target: 'Finances' }], 'a');
    expect(queue(finance)).toBe('Fin');
    await f.cfg.policies.update(dept2.id, { priority: 10 }, 'a');
    expect(queue(finance)).toBe('Fin2');
    expect(f.published.every((p) => p.retain)).toBe(true);
  });

  it('raises a device config revision by one on each change, never on a recomputation that changes nothing', async () => {
    const d = await f.device();
    const p = await f.cfg.policies.create({ name: 'P', module: 'printers', document: printers('A') }, 'a');
    await f.cfg.policies.setAssignments(p.id, [{ kind: 'everyone' }], 'a');
    const r1 = f.lastConfig(d)?.revision ?? 0;
    await f.cfg.configs.recompute();
    await f.cfg.configs.recompute();
    expect(f.lastConfig(d)?.revision).toBe(r1);
    await f.cfg.policies.update(p.id, { document: printers('B') }, 'a');
    await f.cfg.policies.update(p.id, { document: printers('C') }, 'a');
    const revisions = f.published.filter((x) => x.topic.includes(d)).map((x) => x.message.revision);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    expect(new Set(revisions).size).toBe(revisions.length);
    expect(f.lastConfig(d)).toMatchObject({ revision: r1 + 2, modules: { printers: { policyRevision: 3 } } });
    // Stored: a hub restarted on the same database continues from there.
    expect((await f.cfg.configs.find(d))?.revision).toBe(r1 + 2);
  });

  it('takes a remote-shell policy with its defaults filled in and sends it to the devices as it is', async () => {
    const d = await f.device();
    const refused = await rejection(
      f.cfg.policies.create(
        { name: 'Shell', module: 'remote-shell', document: { consent: 'sometimes', consentTimeoutSeconds: 5 } },
        'a',
      ),
    );
    const errors = refused.body.errors as Record<string, string>;
    expect(Object.keys(errors).sort()).toEqual(['document.consent', 'document.consentTimeoutSeconds']);
    const p = await f.cfg.policies.create(
      { name: 'Shell', module: 'remote-shell', document: { consent: 'always' } },
      'a',
    );
    expect(p.document).toEqual({ enabled: true, consent: 'always', consentTimeoutSeconds: 30 });
    await f.cfg.policies.setAssignments(p.id, [{ kind: 'everyone' }], 'a');
    expect(f.lastConfig(d)?.modules['remote-shell']).toEqual({
      policyId: p.id,
      policyRevision: 1,
      settings: { enabled: true, consent: 'always', consentTimeoutSeconds: 30 },
    });
  });

  it('pre-creates one AD computer account per device and drops the one-time password once it joined', async () => {
    const d = await f.device('Finances', 'pc-compta-12.mairie.local');
    const p = await f.cfg.policies.create(
      {
        name: 'AD',
        module: 'ad-join',
        document: { domain: 'corp.mairie.fr', ou: 'OU=Postes,DC=corp,DC=mairie,DC=fr' },
      },
      'a',
    );
    await f.cfg.policies.setAssignments(p.id, [{ kind: 'everyone' }], 'a');
    await new Promise((r) => setTimeout(r, 50)); // the pre-creation runs after the computation
    await f.cfg.configs.recompute();
    expect(f.ad.created).toEqual([
      {
        domain: 'corp.mairie.fr',
        ou: 'OU=Postes,DC=corp,DC=mairie,DC=fr',
        computerName: 'PC-COMPTA-12',
        password: expect.any(String),
      },
    ]);
    const settings = f.lastConfig(d)?.modules['ad-join']?.settings as Record<string, unknown>;
    expect(settings).toMatchObject({ computerName: 'PC-COMPTA-12', oneTimePassword: f.ad.created[0]?.password });
    expect(JSON.stringify(settings)).not.toMatch(/login-user|join/i);
    await f.report(d, 'applied');
    await new Promise((r) => setTimeout(r, 50));
    await f.cfg.configs.recompute();
    expect(f.lastConfig(d)?.modules['ad-join']?.settings).not.toHaveProperty('oneTimePassword');
    expect(f.ad.created).toHaveLength(1);
  });
});
