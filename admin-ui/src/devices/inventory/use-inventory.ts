import { useQuery } from '@tanstack/react-query';
import { type Identifier, useDataProvider } from 'react-admin';
import type { BasculeDataProvider } from '../../providers/data-provider.js';

/**
 * `GET /devices/{id}/inventory`, shared by the device page's tabs (one request, cached by
 * react-query). useDataProvider routes a 401/403 through authProvider.checkError.
 */
export function useInventory(deviceId: Identifier | undefined) {
  const dataProvider = useDataProvider<BasculeDataProvider>();
  return useQuery({
    queryKey: ['devices', 'inventory', deviceId],
    queryFn: () => dataProvider.getInventory(deviceId as Identifier),
    enabled: deviceId !== undefined,
  });
}
