import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFixture } from '../config-publisher/config-test-support.js';

type Fixture = Awaited<ReturnType<typeof configFixture>>;

const wwan = (extra: Record<string, unknown> = {}) => ({ apn: 'orange.fr', operator: '20801', ...extra });

describe('wwan-failover SIM PIN in policies: write-only', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await configFixture();
  });
  afterEach(() => f.close());

  it('never returns the PIN, keeps it when the document comes back with [secret], and sends it to devices', async () => {
    const d = await f.device();
    const p = await f.cfg.policies.create(
      { name: '4G', module: 'wwan-failover', document: wwan({ simPin: '4817' }) },
      'alice',
    );
    await f.cfg.policies.setAssignments(p.id, [{ kind: 'everyone' }], 'alice');
    expect(p.document).toMatchObject({ simPin: '[secret]' });
    expect(JSON.stringify(await f.cfg.policies.get(p.id))).not.toContain('4817');
    expect(JSON.stringify(await f.cfg.policies.revision(p.id, 1))).not.toContain('4817');

    // The form sends the placeholder back with another change: the PIN stays.
    const saved = await f.cfg.policies.update(
      p.id,
      { document: wwan({ simPin: '[secret]', mode: 'on-demand' }) },
      'bob',
    );
    expect(saved.latestRevision).toBe(2);
    expect(saved.document).toMatchObject({ simPin: '[secret]', mode: 'on-demand' });
    expect(f.lastConfig(d)?.modules['wwan-failover']?.settings).toMatchObject({ simPin: '4817', mode: 'on-demand' });

    // A new PIN replaces it; no PIN removes it.
    await f.cfg.policies.update(p.id, { document: wwan({ simPin: '9999' }) }, 'bob');
    expect(f.lastConfig(d)?.modules['wwan-failover']?.settings).toMatchObject({ simPin: '9999' });
    await f.cfg.policies.update(p.id, { document: wwan() }, 'bob');
    expect(f.lastConfig(d)?.modules['wwan-failover']?.settings).not.toHaveProperty('simPin');

    // Neither the logs nor the audit trail hold it.
    expect(f.s.lines.join('\n')).not.toMatch(/4817|9999/);
    const audit = await f.s.database.db.selectFrom('audit_log').selectAll().execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toMatch(/4817|9999/);
  });

  it('refuses a PIN that is not 4 to 8 digits, and [secret] without a stored PIN is no PIN', async () => {
    await expect(
      f.cfg.policies.create({ name: '4G', module: 'wwan-failover', document: wwan({ simPin: '12' }) }, 'alice'),
    ).rejects.toMatchObject({ message: expect.stringMatching(/document.simPin: a SIM PIN is 4 to 8 digits/) });
    const p = await f.cfg.policies.create(
      { name: '4G', module: 'wwan-failover', document: wwan({ simPin: '[secret]' }) },
      'alice',
    );
    expect(p.document).not.toHaveProperty('simPin');
  });
});
