import type { DataProvider } from 'react-admin';
import { describe, expect, it } from 'vitest';
import { withRegistryResources } from './registry-api.js';

describe('registry resources in the data provider', () => {
  it('sends the registry resources to their hub routes and leaves the others alone', async () => {
    const calls: string[] = [];
    const record =
      (method: string) =>
      async (resource: string): Promise<never> => {
        calls.push(`${method} ${resource}`);
        return { data: [] } as never;
      };
    const base = Object.fromEntries(
      [
        'getList',
        'getOne',
        'getMany',
        'getManyReference',
        'create',
        'update',
        'updateMany',
        'delete',
        'deleteMany',
      ].map((m) => [m, record(m)]),
    ) as unknown as DataProvider;
    const dp = withRegistryResources(base);
    await dp.getList('registry-machines', {} as never);
    await dp.getOne('registry-reviews', { id: 'r1' });
    await dp.getList('registry-departments', {} as never);
    await dp.getList('devices', {} as never);
    expect(calls).toEqual([
      'getList registry/machines',
      'getOne registry/reviews',
      'getList registry/departments',
      'getList devices',
    ]);
  });
});
