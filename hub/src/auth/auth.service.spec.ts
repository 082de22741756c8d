import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, testServices } from '../test-support.js';
import { SESSION_IDLE_MS } from './auth.service.js';

type Services = Awaited<ReturnType<typeof testServices>>;
const PASSWORD = 'la mairie passe à Zorin OS';

describe('AuthService', () => {
  let s: Services;
  let clock: FakeClock;
  beforeEach(async () => {
    clock = new FakeClock();
    s = await testServices(clock);
    await s.users.create({ username: 'alice', role: 'helpdesk', password: PASSWORD }, 'spec');
  });
  afterEach(() => s.close());

  it('stores a salted scrypt hash, never the password', async () => {
    const rows = await s.database.db.selectFrom('users').select('password_hash').execute();
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
  });

  it('opens a session that expires after inactivity', async () => {
    const { cookie } = await s.auth.login('alice', PASSWORD, '10.0.0.1');
    expect((await s.auth.authenticate(cookie))?.user.username).toBe('alice');
    clock.advance(SESSION_IDLE_MS + 1000);
    expect(await s.auth.authenticate(cookie)).toBeNull();
  });

  it('slows down repeated failures, then lets the right password in once the wait is over', async () => {
    for (let i = 0; i < 6; i++)
      await expect(s.auth.login('alice', 'wrong password here', '10.0.0.2')).rejects.toThrow(/wrong/);
    await expect(s.auth.login('alice', PASSWORD, '10.0.0.2')).rejects.toThrow(/too many failed attempts/);
    clock.advance(60_000);
    expect((await s.auth.login('alice', PASSWORD, '10.0.0.2')).user.username).toBe('alice');
  });

  it('requires the one-time password of the first admin to be changed, against the policy', async () => {
    const otp = await s.users.ensureInitialAdmin();
    expect(otp).toBeNull(); // alice exists already: no second initial admin
    const fresh = await testServices(clock);
    const password = (await fresh.users.ensureInitialAdmin()) as string;
    const { user, cookie } = await fresh.auth.login('admin', password, '127.0.0.1');
    expect(user.mustChangePassword).toBe(true);
    const signedIn = await fresh.auth.authenticate(cookie);
    if (!signedIn) throw new Error('the one-time password opens a session');
    await expect(fresh.auth.changePassword(signedIn, password, 'motdepassemotdepasse')).rejects.toThrow(/too common/);
    await fresh.auth.changePassword(signedIn, password, 'une vraie phrase de passe');
    expect((await fresh.auth.authenticate(cookie))?.user.mustChangePassword).toBe(false);
    await fresh.close();
  });
});
