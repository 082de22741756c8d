import { useGetList } from 'react-admin';
import { departmentChoices } from './department-tree.js';
import type { RegistryDepartment } from './registry.js';

/** Every registry department (the hub sends them all, no paging) and select choices in tree order. */
export function useRegistryDepartments() {
  const { data, isPending, refetch, error } = useGetList<RegistryDepartment>('registry-departments', {
    pagination: { page: 1, perPage: 10_000 },
    sort: { field: 'name', order: 'ASC' },
  });
  const departments = data ?? [];
  return { departments, choices: departmentChoices(departments), isPending, refetch, error };
}
