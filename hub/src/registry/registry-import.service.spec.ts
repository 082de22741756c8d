import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../http/http-errors.js';
import { testServices } from '../test-support.js';

type Services = Awaited<ReturnType<typeof testServices>>;

const csv = (...lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
const page = { sort: 'hostname' as const, order: 'asc' as const, offset: 0, limit: 100, filter: {} };

async function rejection(p: Promise<unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(err)}`);
  return { status: err.getStatus(), body: err.getResponse() as Record<string, unknown> };
}

describe('registry CSV import', () => {
  let s: Services;
  beforeEach(async () => {
    s = await testServices();
  });
  afterEach(() => s.close());

  const preview = (bytes: Buffer, extra: { mapping?: Record<string, unknown>; preset?: 'glpi' } = {}) =>
    s.registry.imports.preview({ bytes, filename: 'parc.csv', actor: 'agnes', ...extra });

  it('previews with per-line errors and imports nothing before confirm', async () => {
    const job = await preview(
      csv(
        'Nom;Numéro de série;Adresse MAC;Service',
        'pc-accueil-1;SN-001;3C-52-82-1A-2B-01;Mairie > Accueil',
        ';;;Mairie', // neither serial nor hostname
        'pc-accueil-3;SN-003;pas-une-mac;Mairie > Accueil',
        'pc-accueil-4;SN-001;;Mairie > Accueil', // serial of line 2 again
        'pc-accueil-5;SN-005;3c:52:82:1a:2b:01;Mairie > Accueil', // MAC of line 2 again
        'pc-ecole-1;SN-006;;Mairie > Écoles',
      ),
    );
    expect(job).toMatchObject({
      state: 'preview',
      encoding: 'utf-8',
      separator: ';',
      totalLines: 6,
      errorLines: 4,
      mapping: { hostname: 'Nom', serial: 'Numéro de série', macs: 'Adresse MAC', department: 'Service' },
    });
    expect(job.errors?.map((e) => [e.line, e.code])).toEqual([
      [3, 'missing-identity'],
      [4, 'bad-mac'],
      [5, 'duplicate-serial'],
      [6, 'duplicate-mac'],
    ]);
    expect(job.errors?.[2]?.message).toBe('serial SN-001 is also on line 2');
    expect(job.preview?.[0]).toEqual({
      line: 2,
      serial: 'SN-001',
      hostname: 'pc-accueil-1',
      macs: ['3c:52:82:1a:2b:01'],
      department: ['Mairie', 'Accueil'],
      mainUser: null,
      os: null,
    });
    // Nothing in the registry, not even the departments.
    expect((await s.registry.lifecycle.list(page)).total).toBe(0);
    expect(await s.registry.departments.list()).toEqual([]);
    // Lines with errors: confirm is refused unless the valid lines alone are wanted.
    const refused = await rejection(s.registry.imports.confirm(job.id, { skipInvalid: false, actor: 'agnes' }));
    expect(refused).toMatchObject({ status: 409, body: { code: 'IMPORT_HAS_ERRORS' } });
    expect((await s.registry.lifecycle.list(page)).total).toBe(0);

    const started = await s.registry.imports.confirm(job.id, { skipInvalid: true, actor: 'agnes' });
    expect(started.state).toBe('importing');
    await s.registry.imports.idle();
    expect(await s.registry.imports.get(job.id)).toMatchObject({
      state: 'done',
      imported: 2,
      skipped: 4,
      progress: null,
    });
    const { rows } = await s.registry.lifecycle.list(page);
    expect(rows.map((m) => [m.hostname, m.serial, m.department, m.status])).toEqual([
      ['pc-accueil-1', 'SN-001', 'Accueil', 'windows'],
      ['pc-ecole-1', 'SN-006', 'Écoles', 'windows'],
    ]);
    const deps = await s.registry.departments.list();
    const mairie = deps.find((d) => d.name === 'Mairie');
    expect(deps.filter((d) => d.parentId === mairie?.id).map((d) => d.name)).toEqual(['Accueil', 'Écoles']);
    // A second confirm of the same job does nothing.
    expect((await rejection(s.registry.imports.confirm(job.id, { skipInvalid: true, actor: 'agnes' }))).status).toBe(
      409,
    );
  });

  it('reads a Windows-1252 file from French Excel with the mapping the client gives', async () => {
    const text = 'Poste;N° série;Agent;Direction\r\npc-rh-1;SN-RH-1;Hélène Dupré;Ressources humaines\r\n';
    const job = await preview(Buffer.from(text, 'latin1'), {
      mapping: { hostname: 'Poste', serial: 'N° série', mainUser: 'Agent', department: 'Direction' },
    });
    expect(job).toMatchObject({ encoding: 'windows-1252', errorLines: 0 });
    await s.registry.imports.confirm(job.id, { skipInvalid: false, actor: 'agnes' });
    await s.registry.imports.idle();
    const [m] = (await s.registry.lifecycle.list(page)).rows;
    expect(m).toMatchObject({ hostname: 'pc-rh-1', mainUser: 'Hélène Dupré', department: 'Ressources humaines' });
  });

  it('imports a GLPI export with its preset and refuses what the registry already holds', async () => {
    const glpi = (rows: string[]) =>
      csv(
        "Nom;Entité;Statut;Fabricant;Numéro de série;Type;Modèle;Système d'exploitation - Nom;Utilisateur;Ports réseau - Adresse MAC",
        ...rows,
      );
    const first = await preview(
      glpi([
        'PC-CCAS-01;Entité racine > CCAS;En service;Dell Inc.;7XK2M93;Portable;Latitude 5420;Microsoft Windows 10 Professionnel;mdurand;a4:bb:6d:01:02:03<br>a4:bb:6d:01:02:04',
        'PC-CCAS-02;Entité racine > CCAS;En service;Dell Inc.;8XK2M93;Portable;Latitude 5420;Microsoft Windows 11 Professionnel;jmartin;',
      ]),
      { preset: 'glpi' },
    );
    expect(first.errorLines).toBe(0);
    await s.registry.imports.confirm(first.id, { skipInvalid: false, actor: 'agnes' });
    await s.registry.imports.idle();
    const { rows } = await s.registry.lifecycle.list(page);
    expect(rows[0]).toMatchObject({
      hostname: 'PC-CCAS-01',
      serial: '7XK2M93',
      department: 'CCAS',
      mainUser: 'mdurand',
      os: 'Microsoft Windows 10 Professionnel',
      macs: ['a4:bb:6d:01:02:03', 'a4:bb:6d:01:02:04'],
    });
    // The same machines again (an export redone later): serial and MAC are known, per line.
    const again = await preview(
      glpi([
        'PC-CCAS-01;Entité racine > CCAS;En service;Dell Inc.;7xk2m93;Portable;Latitude 5420;Windows;mdurand;',
        'PC-CCAS-09;Entité racine > CCAS;En service;Dell Inc.;9XK2M93;Portable;Latitude 5420;Windows;x;A4-BB-6D-01-02-04',
      ]),
      { preset: 'glpi' },
    );
    expect(again.errors?.map((e) => [e.line, e.code])).toEqual([
      [2, 'serial-known'],
      [3, 'mac-known'],
    ]);
  });

  it('changes the mapping of a job in preview, and says what is wrong with a file', async () => {
    const job = await preview(csv('A;B', 'pc-1;SN-1'));
    expect(job.mappingError).toMatch(/serial number or the hostname/);
    expect((await rejection(s.registry.imports.confirm(job.id, { skipInvalid: false, actor: 'a' }))).status).toBe(400);
    const mapped = await s.registry.imports.setMapping(job.id, { hostname: 'A', serial: 'B' });
    expect(mapped.preview?.map((l) => l.hostname)).toEqual(['pc-1']);
    expect((await rejection(preview(Buffer.alloc(0)))).body.message).toBe('the file is empty');
    expect((await rejection(preview(csv('Nom;Série')))).body.message).toMatch(/no machine/);
    expect((await rejection(preview(csv('Nom;Série', '"pc-1;SN')))).body.message).toMatch(/never closed/);
    expect((await rejection(preview(csv('Nom', 'x'), { mapping: { serial: 'Série' } }))).status).toBe(400);
  });

  it('fails as a whole, importing nothing, when the registry changed since the preview', async () => {
    const a = await preview(csv('Nom;Numéro de série', 'pc-1;SN-1', 'pc-2;SN-2'));
    const b = await preview(csv('Nom;Numéro de série', 'pc-2;SN-2'));
    await s.registry.imports.confirm(b.id, { skipInvalid: false, actor: 'agnes' });
    await s.registry.imports.idle();
    await s.registry.imports.confirm(a.id, { skipInvalid: false, actor: 'agnes' });
    await s.registry.imports.idle();
    const failed = await s.registry.imports.get(a.id);
    expect(failed).toMatchObject({ state: 'failed', imported: 0 });
    expect(failed.error).toMatch(/^nothing was imported: 1 line\(s\) have errors/);
    expect((await s.registry.lifecycle.list(page)).rows.map((m) => m.hostname)).toEqual(['pc-2']);
    const staged = await s.database.db.selectFrom('registry_import_rows').selectAll().execute();
    expect(staged).toEqual([]);
  });

  it('refuses a department path that contradicts the tree', async () => {
    await s.registry.departments.create({ name: 'Écoles', parentId: null }, 'agnes');
    const job = await preview(csv('Nom;Service', 'pc-1;Mairie > Écoles', 'pc-2;Écoles'));
    expect(job.errors?.map((e) => [e.line, e.code])).toEqual([[2, 'department-elsewhere']]);
  });
});
