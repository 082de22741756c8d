import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, testServices } from '../test-support.js';
import { parseDuration } from './enrolment.service.js';

type Services = Awaited<ReturnType<typeof testServices>>;
const identity = {
  hostname: 'pc-rh-03',
  machineId: 'mid-1',
  dmiUuid: 'uuid-1',
  serial: 'SER1',
  macs: ['AA:BB:CC:DD:EE:01'],
};
const ctx = { ip: '10.0.0.5', caCertPem: 'CA', mqttUrls: ['mqtts://hub:8883'] };

describe('EnrolmentService', () => {
  let s: Services;
  let clock: FakeClock;
  beforeEach(async () => {
    clock = new FakeClock();
    s = await testServices(clock);
  });
  afterEach(() => s.close());

  it('stores only the hash of tokens and device secrets', async () => {
    const { token } = await s.enrolment.createToken({
      department: 'RH',
      uses: 1,
      expiresInMs: 3600_000,
      createdBy: 'spec',
    });
    const r = await s.enrolment.enroll({ token, identity }, ctx);
    const dump = JSON.stringify([
      await s.database.db.selectFrom('enrolment_tokens').selectAll().execute(),
      await s.database.db.selectFrom('devices').selectAll().execute(),
    ]);
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(r.secret);
    expect(await s.deviceAuth.verify(r.deviceId, r.secret)).toBe(true);
    expect(await s.deviceAuth.verify(r.deviceId, `${r.secret}x`)).toBe(false);
  });

  it('refuses wrong, expired and used-up tokens', async () => {
    const { token } = await s.enrolment.createToken({
      department: 'RH',
      uses: 1,
      expiresInMs: 3600_000,
      createdBy: 'spec',
    });
    await expect(s.enrolment.enroll({ token: 'bt_not_a_real_token_at_all', identity }, ctx)).rejects.toThrow(
      /not recognised/,
    );
    await s.enrolment.enroll({ token, identity }, ctx);
    await expect(s.enrolment.enroll({ token, identity }, ctx)).rejects.toThrow(/already used 1 time/);
    const late = await s.enrolment.createToken({ department: 'RH', uses: 5, expiresInMs: 60_000, createdBy: 'spec' });
    clock.advance(61_000);
    await expect(s.enrolment.enroll({ token: late.token, identity }, ctx)).rejects.toThrow(/expired/);
  });

  it('enrols a cloned image as a new device and flags it', async () => {
    const { token } = await s.enrolment.createToken({
      department: 'RH',
      uses: 3,
      expiresInMs: 3600_000,
      createdBy: 'spec',
    });
    const first = await s.enrolment.enroll({ token, identity }, ctx);
    const clone = await s.enrolment.enroll(
      { token, identity: { ...identity, serial: 'SER2', dmiUuid: 'uuid-2' } },
      ctx,
    );
    expect(clone.deviceId).not.toBe(first.deviceId);
    expect((await s.deviceService.get(clone.deviceId)).cloneOf).toBe(first.deviceId);
    expect((await s.deviceService.get(first.deviceId)).cloneOf).toBeNull();
  });

  it('golden image: prepared copies are two devices; unprepared copies on other hardware are flagged', async () => {
    const { token } = await s.enrolment.createToken({
      department: 'RH',
      uses: 10,
      expiresInMs: 3600_000,
      createdBy: 'spec',
    });
    const pc = (n: number, machineId: string) => ({
      hostname: `pc-${n}`,
      machineId,
      dmiUuid: `uuid-${n}`,
      serial: `SER-${n}`,
      macs: [`AA:BB:CC:00:00:0${n}`],
    });
    // prepare-image emptied /etc/machine-id: each copy got its own at first boot.
    const a = await s.enrolment.enroll({ token, identity: pc(1, 'mid-a') }, ctx);
    const b = await s.enrolment.enroll({ token, identity: pc(2, 'mid-b') }, ctx);
    expect((await s.deviceService.get(a.deviceId)).cloneOf).toBeNull();
    expect((await s.deviceService.get(b.deviceId)).cloneOf).toBeNull();
    // Not prepared: both copies carry the image's machine-id.
    const c = await s.enrolment.enroll({ token, identity: pc(3, 'mid-image') }, ctx);
    const d = await s.enrolment.enroll({ token, identity: pc(4, 'mid-image') }, ctx);
    expect((await s.deviceService.get(c.deviceId)).cloneOf).toBeNull();
    expect((await s.deviceService.get(d.deviceId)).cloneOf).toBe(c.deviceId);
    // Virtual machines without a serial: told apart by their network cards.
    const vm = { hostname: 'vm', machineId: 'mid-vm', dmiUuid: '', serial: '', macs: ['52:54:00:00:00:01'] };
    const e = await s.enrolment.enroll({ token, identity: vm }, ctx);
    const f = await s.enrolment.enroll({ token, identity: { ...vm, macs: ['52:54:00:00:00:02'] } }, ctx);
    expect(f.deviceId).not.toBe(e.deviceId);
    expect((await s.deviceService.get(f.deviceId)).cloneOf).toBe(e.deviceId);
    // The same machine enrolling again (reinstalled agent) is not a clone.
    const g = await s.enrolment.enroll(
      { token, identity: { ...vm, macs: ['52:54:00:00:00:01', '52:54:00:ff:ff:ff'] } },
      ctx,
    );
    expect((await s.deviceService.get(g.deviceId)).cloneOf).toBeNull();
  });

  it('parses durations', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(() => parseDuration('tomorrow')).toThrow(/invalid duration/);
  });
});
