import { SelectInput, useGetList } from 'react-admin';

interface Department {
  id: string;
  name: string;
  deviceCount: number;
}

/** A department filter, from `GET /departments` with each device count from the hub. */
export function DepartmentInput(props: { source: string; alwaysOn?: boolean }) {
  const { data, isPending } = useGetList<Department>('departments', {
    pagination: { page: 1, perPage: 1000 },
    sort: { field: 'name', order: 'ASC' },
  });
  const choices = (data ?? []).map((d) => ({ id: d.id, name: `${d.name} (${d.deviceCount})` }));
  return <SelectInput {...props} choices={choices} isPending={isPending} emptyText="bascule.status.any" />;
}
