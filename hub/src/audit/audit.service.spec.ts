import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, testServices } from '../test-support.js';
import { AuditService } from './audit.service.js';

type Services = Awaited<ReturnType<typeof testServices>>;
const PASSWORD = 'une phrase de passe pour le journal';

describe('AuditService', () => {
  let s: Services;
  let clock: FakeClock;
  let audit: AuditService;
  beforeEach(async () => {
    clock = new FakeClock();
    s = await testServices(clock);
    audit = new AuditService(s.audit);
    const root = await s.users.create({ username: 'root', role: 'admin', password: PASSWORD }, 'system');
    clock.advance(3600_000);
    const bob = await s.users.create({ username: 'bob', role: 'viewer', password: PASSWORD }, 'root');
    clock.advance(3600_000);
    await s.users.setRole(bob.id, 'helpdesk', root);
  });
  afterEach(() => s.close());

  const list = (filter: Parameters<AuditService['list']>[0]['filter']) =>
    audit.list({ filter, sort: 'id', order: 'asc', offset: 0, limit: 100 });

  it('shows who changed what, with before and after', async () => {
    const { rows } = await list({ action: 'user.role_changed' });
    expect(rows).toMatchObject([
      { actor: 'root', target: 'bob', before: 'viewer', after: 'helpdesk', ts: '2026-11-25T12:00:00.000Z' },
    ]);
    const created = await list({ action: 'user.created', target: 'bob' });
    expect(created.rows[0]).toMatchObject({ before: null, after: { username: 'bob', role: 'viewer' } });
  });

  it('filters by actor, action prefix and date range, counting the total', async () => {
    expect((await list({ actor: 'root' })).total).toBe(2);
    expect((await list({ action: 'user.' })).total).toBe(3);
    // a wildcard in the filter is a character, not a pattern
    expect((await list({ action: 'user%' })).total).toBe(0);
    expect((await list({ action: 'u_er.' })).total).toBe(0);
    const window = await list({ since: '2026-11-25T10:30:00.000Z', until: '2026-11-25T12:00:00.000Z' });
    expect(window.rows.map((r) => r.target)).toEqual(['bob']);
    expect(window.total).toBe(1);
  });
});
