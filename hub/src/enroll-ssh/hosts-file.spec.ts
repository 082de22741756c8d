import { describe, expect, it } from 'vitest';
import { parseHostsFile } from './hosts-file.js';

describe('parseHostsFile', () => {
  it('reads host[:port] lines, comments, blanks, IPv6, and reports duplicates once', () => {
    const { targets, errors, duplicates } = parseHostsFile(
      [
        '# mairie annexe',
        'pc-rh-01.ville.local',
        '  10.0.4.12:2222   # behind the NAT',
        '',
        '[fd00::12]:2200',
        'fd00::13',
        'PC-RH-01.ville.local',
        'pc-rh-01.ville.local:22',
      ].join('\r\n'),
    );
    expect(errors).toEqual([]);
    expect(duplicates).toEqual([
      'line 7: PC-RH-01.ville.local:22 is already on line 2, enrolled once',
      'line 8: pc-rh-01.ville.local:22 is already on line 2, enrolled once',
    ]);
    expect(targets).toEqual([
      { host: 'pc-rh-01.ville.local', port: 22, label: 'pc-rh-01.ville.local:22' },
      { host: '10.0.4.12', port: 2222, label: '10.0.4.12:2222' },
      { host: 'fd00::12', port: 2200, label: '[fd00::12]:2200' },
      { host: 'fd00::13', port: 22, label: '[fd00::13]:22' },
    ]);
  });

  it('uses the default port given', () => {
    expect(parseHostsFile('a\nb:23', 2201).targets.map((t) => t.port)).toEqual([2201, 23]);
  });

  it('names the line of every mistake', () => {
    const { targets, errors } = parseHostsFile('ok\nroot@pc1\npc2:99999\npc3 pc4\n-bad\n[zz]:22\npc5:');
    expect(targets.map((t) => t.host)).toEqual(['ok']);
    expect(errors).toEqual([
      'line 2: "root@pc1" is not a host name or address',
      'line 3: "99999" is not a port (1-65535)',
      'line 4: one host per line, got "pc3 pc4"',
      'line 5: "-bad" is not a host name or address',
      'line 6: "zz" is not an IPv6 address',
      'line 7: "" is not a port (1-65535)',
    ]);
  });
});
