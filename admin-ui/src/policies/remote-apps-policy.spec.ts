import { describe, expect, it } from 'vitest';
import { documentFor } from './policy.js';

describe('remote-apps policy document', () => {
  it('keeps the accounts one per line, drops empty fields and a gateway without server', () => {
    const form = {
      users: ['jdupont', '', ' mmartin ', ''],
      apps: [
        { id: 'ciril', name: 'Ciril', server: 'rds', program: '', gateway: { domain: null, username: '' } },
        { id: 'astre', name: 'Astre', server: 'rds2', gateway: { server: 'gw', domain: 'MAIRIE' }, printers: true },
      ],
      consent: 'always',
    };
    expect(documentFor('remote-apps', form)).toEqual({
      users: ['jdupont', 'mmartin'],
      apps: [
        { id: 'ciril', name: 'Ciril', server: 'rds' },
        { id: 'astre', name: 'Astre', server: 'rds2', gateway: { server: 'gw', domain: 'MAIRIE' } },
      ],
    });
  });
});
