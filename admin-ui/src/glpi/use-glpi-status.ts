import { useQuery } from '@tanstack/react-query';
import { useDataProvider } from 'react-admin';
import type { BasculeDataProvider } from '../providers/data-provider.js';

/** `GET /glpi/status`, refreshed every 30 s: a retry (backoff from 30 s) shows without a reload. */
export function useGlpiStatus() {
  const dataProvider = useDataProvider<BasculeDataProvider>();
  return useQuery({
    queryKey: ['glpi', 'status'],
    queryFn: () => dataProvider.getGlpiStatus(),
    refetchInterval: 30_000,
  });
}
