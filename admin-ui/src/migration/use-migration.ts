import { useQuery } from '@tanstack/react-query';
import { getMigrationDashboard, getTrend, getVolunteersWaiting } from '../registry/registry-api.js';

/** The dashboard tables, the trend and the volunteers waiting: all counted by the hub, only shown here. */
export function useMigration() {
  const dashboard = useQuery({
    queryKey: ['registry', 'dashboard'],
    queryFn: getMigrationDashboard,
    refetchInterval: 60_000,
  });
  const trend = useQuery({ queryKey: ['registry', 'trend'], queryFn: getTrend, refetchInterval: 300_000 });
  const volunteers = useQuery({ queryKey: ['registry', 'volunteers-waiting'], queryFn: getVolunteersWaiting });
  return { dashboard, trend, volunteers };
}
