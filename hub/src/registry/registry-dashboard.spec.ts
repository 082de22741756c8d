import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, testServices } from '../test-support.js';

type Services = Awaited<ReturnType<typeof testServices>>;
const csv = (...lines: string[]) => Buffer.from(`${lines.join('\n')}\n`, 'utf8');

/**
 * Mairie
 * ├── Écoles (4 machines: 2 migrated, 1 exception)
 * │   └── Maternelles (2 machines: 1 migrated)
 * └── Accueil (1 machine)
 * CCAS (2 machines: 1 rolled back)
 * and one machine without a department.
 */
describe('registry dashboard aggregates', () => {
  let s: Services;
  const clock = new FakeClock(new Date('2026-12-01T08:00:00Z').getTime());
  const id: Record<string, string> = {};
  beforeEach(async () => {
    s = await testServices(clock);
    const job = await s.registry.imports.preview({
      bytes: csv(
        'hostname;department',
        'e1;Mairie > Écoles',
        'e2;Mairie > Écoles',
        'e3;Mairie > Écoles',
        'e4;Mairie > Écoles',
        'm1;Mairie > Écoles > Maternelles',
        'm2;Mairie > Écoles > Maternelles',
        'a1;Mairie > Accueil',
        'c1;CCAS',
        'c2;CCAS',
        'x1;',
      ),
      filename: 'parc.csv',
      actor: 'agnes',
    });
    await s.registry.imports.confirm(job.id, { skipInvalid: false, actor: 'agnes' });
    await s.registry.imports.idle();
    const { rows } = await s.registry.lifecycle.list({
      sort: 'hostname',
      order: 'asc',
      offset: 0,
      limit: 100,
      filter: {},
    });
    for (const m of rows) id[m.hostname as string] = m.id;
    // Migrated needs a linked device: set it the way matching does, in the table.
    await s.database.db
      .updateTable('registry_machines')
      .set({ status: 'migrated' })
      .where('hostname', 'in', ['e1', 'e2', 'm1'])
      .execute();
    const lc = s.registry.lifecycle;
    await lc.changeStatus(
      id.e3 as string,
      { status: 'exception', exceptionReason: 'business-software', workaround: 'RDP' },
      'agnes',
    );
    await lc.changeStatus(id.c1 as string, { status: 'rolled-back', rollbackReason: 'imprimante du guichet' }, 'agnes');
    await lc.changeStatus(id.a1 as string, { status: 'scheduled' }, 'agnes');
  });
  afterEach(() => s.close());

  it('computes migration % per department including its sub-departments, and for the organisation', async () => {
    const d = await s.registry.dashboard.dashboard();
    const by = Object.fromEntries(d.departments.map((x) => [x.name, x]));
    expect(by.Maternelles).toMatchObject({ total: 2, migratedPct: 50 });
    expect(by.Écoles).toMatchObject({ total: 6, migratedPct: 50 });
    expect(by.Écoles?.counts).toMatchObject({ migrated: 3, exception: 1, windows: 2 });
    expect(by.Mairie).toMatchObject({ total: 7, migratedPct: 42.9 });
    expect(by.Accueil).toMatchObject({ total: 1, migratedPct: 0, counts: { scheduled: 1 } });
    expect(by.CCAS).toMatchObject({ total: 2, counts: { 'rolled-back': 1, windows: 1 } });
    expect(d.organisation).toEqual({
      total: 10,
      counts: { windows: 4, candidate: 0, scheduled: 1, migrated: 3, exception: 1, 'rolled-back': 1 },
      migratedPct: 30,
      unassigned: 1,
    });
    expect(d.exceptions).toEqual([{ reason: 'business-software', count: 1, withWorkaround: 1 }]);
  });

  it('counts by phase, each machine under its own department', async () => {
    const deps = await s.registry.departments.list();
    const ecoles = deps.find((x) => x.name === 'Écoles');
    if (!ecoles) throw new Error('no Écoles');
    await s.registry.departments.update(ecoles.id, { phase: 'volunteers' }, 'agnes');
    const phases = await s.registry.dashboard.phases();
    expect(phases).toEqual([
      { phase: 'beta', departments: 4, machines: 5, migrated: 1 },
      { phase: 'volunteers', departments: 1, machines: 4, migrated: 2 },
      { phase: 'new-machine', departments: 0, machines: 0, migrated: 0 },
      { phase: 'linux-by-default', departments: 0, machines: 0, migrated: 0 },
    ]);
    // Filtering machines by a department takes its subtree.
    const list = await s.registry.lifecycle.list({
      sort: 'hostname',
      order: 'asc',
      offset: 0,
      limit: 100,
      filter: { departmentId: ecoles.id },
    });
    expect(list.rows.map((m) => m.hostname)).toEqual(['e1', 'e2', 'e3', 'e4', 'm1', 'm2']);
    // A department cannot move under its own descendant.
    const mat = deps.find((x) => x.name === 'Maternelles');
    await expect(s.registry.departments.update(ecoles.id, { parentId: mat?.id }, 'agnes')).rejects.toThrow(
      /under itself/,
    );
  });

  it('draws the trend from daily snapshots, for the organisation and a subtree', async () => {
    await s.registry.dashboard.snapshot();
    clock.advance(86_400_000);
    await s.registry.lifecycle.changeStatus(id.a1 as string, { status: 'candidate' }, 'agnes');
    await s.database.db
      .updateTable('registry_machines')
      .set({ status: 'migrated' })
      .where('hostname', '=', 'e4')
      .execute();
    await s.registry.dashboard.snapshot();
    await s.registry.dashboard.snapshot(); // taken again the same day: replaced, not added
    const trend = await s.registry.dashboard.trend({ from: '2026-11-30' });
    expect(trend.map((p) => [p.day, p.counts.migrated, p.counts.windows])).toEqual([
      ['2026-12-01', 3, 4],
      ['2026-12-02', 4, 3],
    ]);
    const ecoles = (await s.registry.departments.list()).find((x) => x.name === 'Écoles');
    const sub = await s.registry.dashboard.trend({ departmentId: ecoles?.id });
    expect(sub.map((p) => p.counts.migrated)).toEqual([3, 4]);
    await expect(s.registry.dashboard.trend({ from: 'hier' })).rejects.toThrow(/a day such as/);
  });

  it('takes the day snapshot at start when it is missing, and stops its timer', async () => {
    await s.registry.start();
    await s.registry.stop();
    expect(await s.registry.dashboard.trend({})).toHaveLength(1);
  });
});
