import { useQuery } from '@tanstack/react-query';
import { useDataProvider } from 'react-admin';
import type { BasculeDataProvider } from '../providers/data-provider.js';

/** `GET /fleet/overview`: every count of the home page in one request, aggregated by the hub. */
export function useFleetOverview() {
  const dataProvider = useDataProvider<BasculeDataProvider>();
  return useQuery({
    queryKey: ['fleet', 'overview'],
    queryFn: () => dataProvider.getFleetOverview(),
    refetchInterval: 60_000,
  });
}
