import { describe, expect, it } from 'vitest';
import { contentRange, parseListQuery } from './list-query.js';

describe('parseListQuery (react-admin simple-rest)', () => {
  it('reads sort, range and filter', () => {
    const q = parseListQuery(
      { sort: '["hostname","DESC"]', range: '[25,49]', filter: '{"online":true}' },
      ['hostname', 'department'],
      'hostname',
    );
    expect(q).toEqual({ sort: 'hostname', order: 'desc', offset: 25, limit: 25, filter: { online: true } });
  });

  it('has defaults and caps the page size', () => {
    expect(parseListQuery({}, ['hostname'], 'hostname')).toMatchObject({ offset: 0, limit: 25, order: 'asc' });
    expect(parseListQuery({ range: '[0,99999]' }, ['hostname'], 'hostname').limit).toBe(1000);
  });

  it('refuses unknown sort fields and malformed JSON with a message', () => {
    expect(() => parseListQuery({ sort: '["secret_hash","ASC"]' }, ['hostname'], 'hostname')).toThrow(/cannot sort/);
    expect(() => parseListQuery({ filter: '{oops' }, ['hostname'], 'hostname')).toThrow(/not valid JSON/);
    expect(() => parseListQuery({ range: '[5,1]' }, ['hostname'], 'hostname')).toThrow(/range/);
  });

  it('formats Content-Range', () => {
    expect(contentRange('devices', 0, 25, 312)).toBe('devices 0-24/312');
    expect(contentRange('devices', 0, 0, 0)).toBe('devices 0-0/0');
  });
});
