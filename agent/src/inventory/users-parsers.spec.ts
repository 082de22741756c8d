import { describe, expect, it } from 'vitest';
import { fixture } from './fixtures/fixture.js';
import { isDomainUserName, parseLast, parseLocalAccounts } from './passwd-parser.js';

describe('parseLocalAccounts', () => {
  it('keeps people (uid 1000 to 59999), with the full name from GECOS', () => {
    expect(parseLocalAccounts(fixture('passwd.documented.txt'))).toEqual([
      { name: 'alice', uid: 1000, fullName: 'Alice Martin', home: '/home/alice', shell: '/bin/bash' },
      { name: 'bob', uid: 1001, home: '/home/bob', shell: '/bin/bash' },
    ]);
  });

  it('throws on garbage', () => {
    expect(() => parseLocalAccounts('<html>not a passwd file</html>\n')).toThrow(/passwd/);
  });
});

describe('parseLast', () => {
  it('reads logins latest first, skipping reboots (recorded)', () => {
    expect(parseLast(fixture('last.recorded.txt'))).toEqual([
      { name: 'MAIRIE\\claire', terminal: 'pts/1', host: '10.1.2.3', at: '2026-11-24T16:20:00' },
      { name: 'bob', terminal: 'tty2', host: 'tty2', at: '2026-11-25T07:45:10' },
      { name: 'alice@mairie.local', terminal: 'pts/0', host: '192.0.2.50', at: '2026-11-25T08:01:02' },
    ]);
    expect(parseLast(fixture('last-empty.recorded.txt'))).toEqual([]);
  });

  it('throws on garbage', () => {
    expect(() => parseLast('last: cannot open /var/log/wtmp: Permission denied\n')).toThrow(/last/);
  });

  it('recognises directory users', () => {
    expect(['alice@mairie.local', 'MAIRIE\\claire', 'bob', 'x@localhost'].map(isDomainUserName)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});
