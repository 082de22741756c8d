import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, testServices } from '../test-support.js';
import { base32Decode, hotp, totpStep } from './totp.js';

type Services = Awaited<ReturnType<typeof testServices>>;
const PASSWORD = 'la mairie passe à Zorin OS';

describe('TOTP second factor', () => {
  let s: Services;
  let clock: FakeClock;
  let aliceId: string;
  let secret: Buffer;
  const code = (offsetSteps = 0) => hotp(secret, totpStep(clock.now().getTime()) + offsetSteps);

  beforeEach(async () => {
    clock = new FakeClock();
    s = await testServices(clock);
    aliceId = (await s.users.create({ username: 'alice', role: 'helpdesk', password: PASSWORD }, 'spec')).id;
    const enrolment = await s.totp.begin(aliceId);
    expect(enrolment.qrSvg).toMatch(/^<svg/);
    expect(enrolment.otpauthUri).toContain(`secret=${enrolment.secret}`);
    secret = base32Decode(enrolment.secret);
  });
  afterEach(() => s.close());

  async function enrol(): Promise<string[]> {
    const { recoveryCodes } = await s.totp.confirm(aliceId, code());
    clock.advance(30_000);
    return recoveryCodes;
  }

  it('is enrolled only once a first code confirms it, and the secret is stored sealed', async () => {
    await expect(s.totp.confirm(aliceId, '000000')).rejects.toThrow(/does not match/);
    expect((await s.totp.status(aliceId)).enabled).toBe(false);
    const codes = await enrol();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(await s.totp.status(aliceId)).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    const row = await s.database.db.selectFrom('users').selectAll().where('id', '=', aliceId).executeTakeFirstOrThrow();
    expect(row.totp_secret).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(secret.toString('hex'));
    const stored = await s.database.db.selectFrom('totp_recovery_codes').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(codes[0]);
  });

  it('signs in in two steps; the challenge opens no session and a code cannot be replayed', async () => {
    await enrol();
    const first = await s.auth.passwordStep('alice', PASSWORD, '10.0.0.1');
    if (first.kind !== 'totp-required') throw new Error('a TOTP account needs its code');
    expect(await s.auth.authenticate(first.challenge)).toBeNull();
    const used = code();
    const { cookie } = await s.auth.loginTotp(first.challenge, used, '10.0.0.1');
    expect((await s.auth.authenticate(cookie))?.user.totpEnabled).toBe(true);
    // the same challenge is spent, and the same code on a new challenge is refused
    await expect(s.auth.loginTotp(first.challenge, used, '10.0.0.1')).rejects.toThrow(/expired/);
    const second = await s.auth.passwordStep('alice', PASSWORD, '10.0.0.1');
    if (second.kind !== 'totp-required') throw new Error('a TOTP account needs its code');
    await expect(s.auth.loginTotp(second.challenge, used, '10.0.0.1')).rejects.toThrow(/wrong or already used/);
    // the next step's code is fine (±1 step)
    expect((await s.auth.loginTotp(second.challenge, code(1), '10.0.0.1')).user.username).toBe('alice');
  });

  it('accepts each recovery code once', async () => {
    const codes = await enrol();
    const first = await s.auth.passwordStep('alice', PASSWORD, '10.0.0.1');
    if (first.kind !== 'totp-required') throw new Error('a TOTP account needs its code');
    await s.auth.loginTotp(first.challenge, (codes[3] as string).toUpperCase(), '10.0.0.1');
    const second = await s.auth.passwordStep('alice', PASSWORD, '10.0.0.1');
    if (second.kind !== 'totp-required') throw new Error('a TOTP account needs its code');
    await expect(s.auth.loginTotp(second.challenge, codes[3] as string, '10.0.0.1')).rejects.toThrow(/wrong/);
    expect((await s.totp.status(aliceId)).recoveryCodesLeft).toBe(9);
  });

  it('throttles wrong codes like passwords and ends a challenge after 5', async () => {
    await enrol();
    const challenges: string[] = [];
    for (let i = 0; i < 2; i++) {
      const step = await s.auth.passwordStep('alice', PASSWORD, '10.0.0.9');
      if (step.kind !== 'totp-required') throw new Error('a TOTP account needs its code');
      challenges.push(step.challenge);
    }
    for (let i = 0; i < 5; i++) {
      await expect(s.auth.loginTotp(challenges[0] as string, '999999', '10.0.0.9')).rejects.toThrow(/wrong/);
    }
    await expect(s.auth.loginTotp(challenges[0] as string, code(), '10.0.0.9')).rejects.toThrow(/expired/);
    await expect(s.auth.loginTotp(challenges[1] as string, '999999', '10.0.0.9')).rejects.toThrow(/wrong/);
    await expect(s.auth.loginTotp(challenges[1] as string, code(), '10.0.0.9')).rejects.toThrow(/too many/);
  });

  it('an administrator resets it, audited; the required setting then limits the account to enrolment', async () => {
    await enrol();
    const admin = await s.users.create({ username: 'root', role: 'admin', password: PASSWORD }, 'spec');
    await s.totp.reset(aliceId, admin);
    expect((await s.totp.status(aliceId)).enabled).toBe(false);
    const audit = await s.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'user.totp_reset')
      .execute();
    expect(audit).toMatchObject([{ actor: 'root', target: 'alice' }]);
    await s.accountSettings.set({ requireTotp: true }, clock.now().toISOString(), 'root');
    const { cookie } = await s.auth.login('alice', PASSWORD, '10.0.0.1');
    expect((await s.auth.authenticate(cookie))?.user.totpEnrolmentRequired).toBe(true);
  });
});
