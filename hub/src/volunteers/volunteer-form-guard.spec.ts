import { describe, expect, it } from 'vitest';
import { FakeClock } from '../test-support.js';
import { DEFAULT_FORM_GUARD, VolunteerFormGuard } from './volunteer-form-guard.js';

const key = Buffer.alloc(32, 7);

describe('volunteer form guard', () => {
  it('takes a ticket back only from this key, for this campaign, between the minimum and maximum fill times', () => {
    const clock = new FakeClock();
    const guard = new VolunteerFormGuard(key, clock);
    const t = guard.ticket('camp-1');
    expect(guard.checkTicket(t, 'camp-1')).toBe('the form was sent too fast');
    clock.advance(3_000);
    expect(guard.checkTicket(t, 'camp-1')).toBeUndefined();
    expect(guard.checkTicket(t, 'camp-2')).toBe('the form ticket is not valid');
    expect(new VolunteerFormGuard(Buffer.alloc(32, 8), clock).checkTicket(t, 'camp-1')).toBe(
      'the form ticket is not valid',
    );
    const [at, mac] = t.split('.');
    expect(guard.checkTicket(`${Number(at) - 60_000}.${mac}`, 'camp-1')).toBe('the form ticket is not valid');
    expect(guard.checkTicket(`${t}.x`, 'camp-1')).toBe('the form ticket is malformed');
    expect(guard.checkTicket('abc.def', 'camp-1')).toBe('the form ticket is malformed');
    clock.advance(4 * 3_600_000);
    expect(guard.checkTicket(t, 'camp-1')).toBe('the form is too old: reload the page');
  });

  it('counts attempts per address in a sliding hour, and forgets the addresses seen longest ago past its bound', () => {
    const clock = new FakeClock();
    const guard = new VolunteerFormGuard(key, clock, { ...DEFAULT_FORM_GUARD, maxPerAddress: 3, maxAddresses: 2 });
    expect([guard.hit('a'), guard.hit('a'), guard.hit('a')]).toEqual([0, 0, 0]);
    clock.advance(600_000);
    expect(guard.hit('a')).toBe(3_000); // the first attempt leaves the window 50 min from now
    expect(guard.hit('b')).toBe(0);
    clock.advance(3_000_001);
    expect(guard.hit('a')).toBe(0);
    guard.hit('c');
    guard.hit('d'); // 'b' was seen longest ago: forgotten
    expect([guard.hit('b'), guard.hit('b'), guard.hit('b')]).toEqual([0, 0, 0]);
  });
});
